import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts.tests.factories import UserFactory
from kelisim.consultations import services
from kelisim.consultations.models import Status, StatusChange, Suggestion
from kelisim.consultations.tests import factories
from kelisim.core.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_workflow_follows_the_transition_table(officer, version):
    suggestion = factories.suggestion(version)
    assert not Suggestion.WORKFLOW.allows(Status.RECEIVED, Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.ACCEPTED)  # no answer
    with pytest.raises(PermissionDenied):
        services.transition_suggestion(actor=UserFactory(), suggestion=suggestion, to=Status.UNDER_REVIEW)
    services.transition_suggestion(
        actor=officer, suggestion=suggestion, to=Status.ACCEPTED, answer="Included.", reason="good idea"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED and suggestion.official_answer == "Included."
    moves = list(StatusChange.objects.filter(suggestion=suggestion).values_list("from_status", "to_status", "actor"))
    assert moves == [
        ("", Status.RECEIVED, None),
        (Status.RECEIVED, Status.UNDER_REVIEW, officer.pk),
        (Status.UNDER_REVIEW, Status.ACCEPTED, officer.pk),
    ]
    assert suggestion.history.first().history_change_reason == "good idea"
    with pytest.raises(ValidationError):
        services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.DECLINED, answer="No.")


def test_the_answer_reaches_a_confirmed_anonymous_author_exactly_once(
    officer, version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = factories.suggestion(version, contact_email="Visitor@Example.kz")
    assert OutboxEmail.objects.filter(topic="consultations.confirm", to="visitor@example.kz").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.DECLINED, answer="Not now.")
    assert not OutboxEmail.objects.filter(topic="consultations.answer").exists()  # not confirmed yet

    services.confirm_contact_email(token=suggestion.contact_token)
    services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.UNDER_REVIEW, reason="reopened")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_suggestion(actor=officer, suggestion=suggestion, to=Status.ACCEPTED, answer="Included.")
    answers = OutboxEmail.objects.filter(topic="consultations.answer")
    assert answers.count() == 1
    assert answers.get().status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1 and "Included." in mail.outbox[0].body


def test_an_answer_that_fails_leaves_no_email(officer, version):
    suggestion = factories.suggestion(version, author=UserFactory())
    with pytest.raises(ValidationError):
        services.answer_suggestions(
            actor=officer, suggestions=[suggestion, suggestion], to=Status.ACCEPTED, answer="Yes"
        )
    assert not OutboxEmail.objects.filter(topic="consultations.answer").exists()


def test_merge_keeps_originals_linked_and_carries_supporters(officer, version):
    primary = factories.suggestion(version, text="Open youth clubs in every village of the region.")
    duplicate = factories.suggestion(
        version, text="Open youth clubs in the villages of every region.", author=UserFactory()
    )
    services.support_suggestion(suggestion=duplicate, browser_key="b1", address="x")
    services.support_suggestion(suggestion=primary, browser_key="b1", address="x")
    services.support_suggestion(suggestion=duplicate, browser_key="b2", address="x")
    services.merge_suggestions(actor=officer, primary=primary, duplicates=[duplicate], reason="same idea")
    duplicate.refresh_from_db()
    primary.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == primary
    # b1 counted once, b2 carried over, and the duplicate's author now supports the primary.
    assert primary.support_count == 3
    assert list(primary.merged_suggestions.all()) == [duplicate]
    assert OutboxEmail.objects.filter(topic="consultations.merged", to=duplicate.author.email).count() == 1
