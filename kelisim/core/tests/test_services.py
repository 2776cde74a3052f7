import pytest
from django.core import mail
from django.db import transaction

from kelisim.core.models import OutboxEmail
from kelisim.core.services import queue_email
from kelisim.core.tasks import deliver_email

pytestmark = pytest.mark.django_db(transaction=True)


def test_queued_email_is_sent_once_after_commit():
    with transaction.atomic():
        message = queue_email(to="a@example.org", subject="Hello", body_text="Body")
        assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    message.refresh_from_db()
    assert message.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    # A second delivery attempt (a retried task, a second worker) sends nothing.
    assert deliver_email.call(message.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_email_of_a_rolled_back_change_never_exists():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="a@example.org", subject="Hello", body_text="Body")
        raise RuntimeError("the change failed")
    assert not OutboxEmail.objects.exists()
    assert len(mail.outbox) == 0
