import pytest
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.consultations import personal_data, services
from kelisim.consultations.models import Channel, InboundEmail, Suggestion
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


def test_erasing_an_account_keeps_its_suggestions_anonymously(version):
    citizen = UserFactory()
    suggestion = factories.suggestion(version, author=citizen)
    other = factories.suggestion(version)
    services.support_suggestion(suggestion=other, user=citizen)
    exported = personal_data.export_personal_data(citizen)
    assert [row["reference"] for row in exported["suggestions"]] == [suggestion.reference]
    personal_data.erase_personal_data(citizen)
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.author is None and Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert other.support_count == 0
    assert not suggestion.history.filter(author=citizen).exists()


def test_what_someone_sent_before_having_an_account_is_in_their_export_and_forgotten_with_it(version):
    by_email = factories.suggestion(version, text="Open a night shelter for teenagers in each town.")
    Suggestion.objects.filter(pk=by_email.pk).update(channel=Channel.EMAIL, contact_email="Dana@Example.kz")
    InboundEmail.objects.create(
        message_key="<1@example.kz>",
        outcome=InboundEmail.Outcome.SUGGESTION,
        sender="dana@example.kz",
        subject="Night shelters",
        text="Open a night shelter for teenagers in each town.",
        suggestion=by_email,
    )
    confirmed_on_the_web = factories.suggestion(version, text="Train school psychologists to notice early signs.")
    Suggestion.objects.filter(pk=confirmed_on_the_web.pk).update(
        contact_email="dana@example.kz", contact_email_confirmed_at=timezone.now()
    )
    # Anyone can type someone else's address on the web form: unconfirmed, it proves nothing.
    typed_by_someone = factories.suggestion(version, text="Close every youth club after nine in the evening.")
    Suggestion.objects.filter(pk=typed_by_someone.pk).update(contact_email="dana@example.kz")
    dana = UserFactory(email="dana@example.kz")

    exported = personal_data.export_personal_data(dana)
    assert {row["reference"] for row in exported["suggestions"]} == {
        by_email.reference,
        confirmed_on_the_web.reference,
    }
    assert [row["subject"] for row in exported["emails_received"]] == ["Night shelters"]

    personal_data.erase_personal_data(dana)
    assert not Suggestion.objects.filter(pk__in=[by_email.pk, confirmed_on_the_web.pk]).exclude(contact_email="")
    assert not InboundEmail.objects.exclude(sender="").exists()
    assert Suggestion.objects.filter(pk=by_email.pk).exists()  # the public input stays
    assert Suggestion.objects.get(pk=typed_by_someone.pk).contact_email == "dana@example.kz"
