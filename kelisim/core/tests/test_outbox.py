"""The email outbox never strands a message in "sending", and a retry is recognisable as the same message."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from kelisim.core import registry, tasks
from kelisim.core.models import OutboxEmail
from kelisim.core.periodic import enqueue_due

pytestmark = pytest.mark.django_db


def stored_message(**fields) -> OutboxEmail:
    return OutboxEmail.objects.create(to="ngo@example.org", subject="Reminder", body_text="Tomorrow at ten.", **fields)


def test_each_message_has_its_own_message_id_and_is_sent_with_it():
    first, second = stored_message(), stored_message()
    assert first.message_id != second.message_id
    assert tasks.deliver_email.call(first.pk) == "sent"
    assert mail.outbox[0].extra_headers["Message-ID"] == first.message_id


def test_a_message_claimed_by_a_worker_that_died_is_sent_after_the_lease_with_the_same_message_id():
    message = stored_message(status=OutboxEmail.Status.SENDING, attempts=1, claimed_at=timezone.now())
    assert tasks.flush_outbox.call() == 0  # the claim is fresh: its worker may still be sending
    assert tasks.deliver_email.call(message.pk) == "skipped"

    OutboxEmail.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - tasks.CLAIM_LEASE - timedelta(1))
    assert tasks.flush_outbox.call() == 1
    message.refresh_from_db()
    assert message.status == OutboxEmail.Status.SENT
    assert message.attempts == 2
    assert [sent.extra_headers["Message-ID"] for sent in mail.outbox] == [message.message_id]


def test_a_dead_mail_server_delays_the_message_and_a_later_flush_sends_it():
    message = stored_message()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=TimeoutError("timed out")):
        assert tasks.deliver_email.call(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.last_error) == (OutboxEmail.Status.FAILED, "timed out")
    assert tasks.flush_outbox.call() == 0  # it waits a minute before the next attempt

    OutboxEmail.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - tasks.retry_delay(1) - timedelta(1))
    assert tasks.flush_outbox.call() == 1
    message.refresh_from_db()
    assert message.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_delivering_a_message_twice_sends_it_once():
    message = stored_message()
    assert [tasks.deliver_email.call(message.pk) for _ in range(2)] == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_a_message_is_given_up_after_the_last_attempt_and_stays_visible_as_failed():
    message = stored_message(status=OutboxEmail.Status.FAILED, attempts=tasks.MAX_ATTEMPTS, last_error="refused")
    assert tasks.flush_outbox.call() == 0
    assert tasks.deliver_email.call(message.pk) == "skipped"
    assert OutboxEmail.objects.get(pk=message.pk).status == OutboxEmail.Status.FAILED


def test_mail_goes_to_its_own_queue_so_a_slow_server_delays_no_other_work():
    assert tasks.deliver_email.queue_name == tasks.EMAIL_QUEUE != tasks.flush_outbox.queue_name


def test_however_many_schedulers_run_each_due_time_is_enqueued_once():
    every_five_minutes = registry.PeriodicTask("test.tidy", mock.Mock(), every_seconds=300)
    with mock.patch.object(registry, "periodic_tasks", return_value=[every_five_minutes]):
        now = 1_800_000_000.0
        assert enqueue_due(now) == ["test.tidy"]
        assert enqueue_due(now + 1) == []  # another node, the same due time
        assert enqueue_due(now + 300) == ["test.tidy"]  # the next due time
    assert every_five_minutes.task.enqueue.call_count == 2
