from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations import services
from kelisim.consultations.models import Status, StatusChange, Suggestion, Support, can_transition
from kelisim.consultations.ratelimit import RateLimited
from kelisim.consultations.tests import factories
from kelisim.core.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    return factories.open_version()


@pytest.fixture
def officer():
    return make_staff()


def test_a_new_version_keeps_the_ids_of_unchanged_and_edited_paragraphs(officer, version):
    old = {p.text_en: p.key for p in version.paragraphs.all()}
    edited = factories.DRAFT.replace("Young people are the first audience", "Young people are the main audience")
    edited += "\nA brand new paragraph about bloggers and opinion leaders.\n"
    now = timezone.now()
    second = services.create_version(
        actor=officer,
        document=version.document,
        markdown=edited,
        language="en",
        opens_at=now,
        closes_at=now + timedelta(days=10),
    )
    new = {p.text_en: p.key for p in second.paragraphs.all()}
    assert second.number == 2
    unchanged = "The programme builds lasting public immunity to radical ideology."
    assert new[unchanged] == old[unchanged]
    assert (
        new["Young people are the main audience of prevention work."]
        == old["Young people are the first audience of prevention work."]
    )
    assert new["A brand new paragraph about bloggers and opinion leaders."] not in old.values()
    assert {s.key for s in second.sections.all()} == {s.key for s in version.sections.all()}


def test_only_officers_import_versions_and_translations_must_match_the_shape(version):
    citizen = UserFactory()
    with pytest.raises(PermissionDenied):
        services.add_translation(actor=citizen, version=version, markdown="# A\nB", language="ru")
    with pytest.raises(ValidationError):
        services.add_translation(actor=None, version=version, markdown="# Only one\nParagraph", language="ru")
    services.add_translation(
        actor=None,
        version=version,
        markdown="# Цели\nПервый.\n\nВторой.\n\n# Колонии\nТретий.\n\n- Четвёртый.",
        language="ru",
    )
    assert [p.text_ru for p in version.paragraphs.order_by("position")] == [
        "Первый.",
        "Второй.",
        "Третий.",
        "Четвёртый.",
    ]


def test_submission_gives_unique_references_and_detects_the_language(version):
    first = factories.suggestion(version, text="Жастармен кездесулерді ауылдарда да өткізу керек.")
    second = factories.suggestion(version)
    assert first.reference == "2017-00001"
    assert second.reference == "2017-00002"
    assert first.language == "kk"
    assert second.language == "en"
    assert first.follow_token != second.follow_token and len(first.follow_token) >= 32
    assert [c.to_status for c in first.status_changes.all()] == [Status.RECEIVED]


def test_text_length_is_enforced_with_a_clear_message(version):
    with pytest.raises(ValidationError) as short:
        factories.suggestion(version, text="Too short")
    assert "at least 10" in str(short.value)
    with pytest.raises(ValidationError) as long:
        factories.suggestion(version, text="x" * 1501)
    assert "1500" in str(long.value) and "1501" in str(long.value)
    assert factories.suggestion(version, text="y" * 1500).text == "y" * 1500


def test_closed_consultations_and_signed_only_consultations_refuse(version):
    closed = factories.open_version(slug="closed", closed=True)
    with pytest.raises(PermissionDenied):
        factories.suggestion(closed)
    signed_only = factories.open_version(slug="signed-only", allow_anonymous=False)
    with pytest.raises(PermissionDenied):
        factories.suggestion(signed_only)
    assert factories.suggestion(signed_only, author=UserFactory()).is_signed


def test_anonymous_rate_limit_is_three_an_hour_per_address(version):
    for _ in range(3):
        factories.suggestion(version, address="192.0.2.7")
    with pytest.raises(RateLimited) as limited:
        factories.suggestion(version, address="192.0.2.7")
    assert 0 < limited.value.retry_after <= 3600
    assert factories.suggestion(version, address="192.0.2.8")  # another address is not affected
    assert not Suggestion.objects.filter(text__contains="192.0.2.7").exists()


def test_signed_rate_limit_is_twenty_a_day(version):
    citizen = UserFactory()
    for index in range(20):
        factories.suggestion(version, author=citizen, text=f"Signed suggestion number {index}")
    with pytest.raises(RateLimited):
        factories.suggestion(version, author=citizen, text="One more signed suggestion")


def test_workflow_follows_the_transition_table(officer, version):
    suggestion = factories.suggestion(version)
    assert not can_transition(Status.RECEIVED, Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.change_status(actor=officer, suggestion=suggestion, status=Status.ACCEPTED)  # no answer
    with pytest.raises(PermissionDenied):
        services.change_status(actor=UserFactory(), suggestion=suggestion, status=Status.UNDER_REVIEW)
    services.change_status(
        actor=officer, suggestion=suggestion, status=Status.ACCEPTED, answer="Included.", reason="good idea"
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
        services.change_status(actor=officer, suggestion=suggestion, status=Status.DECLINED, answer="No.")


def test_the_answer_reaches_a_confirmed_anonymous_author_exactly_once(
    officer, version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = factories.suggestion(version, contact_email="Visitor@Example.kz")
    assert OutboxEmail.objects.filter(topic="consultations.confirm", to="visitor@example.kz").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(actor=officer, suggestion=suggestion, status=Status.DECLINED, answer="Not now.")
    assert not OutboxEmail.objects.filter(topic="consultations.answer").exists()  # not confirmed yet

    services.confirm_contact_email(token=suggestion.contact_token)
    services.change_status(actor=officer, suggestion=suggestion, status=Status.UNDER_REVIEW, reason="reopened")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(actor=officer, suggestion=suggestion, status=Status.ACCEPTED, answer="Included.")
    answers = OutboxEmail.objects.filter(topic="consultations.answer")
    assert answers.count() == 1
    assert answers.get().status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1 and "Included." in mail.outbox[0].body


def test_an_answer_that_fails_leaves_no_email(officer, version):
    suggestion = factories.suggestion(version, author=UserFactory())
    with pytest.raises(ValidationError):
        services.answer_suggestions(
            actor=officer, suggestions=[suggestion, suggestion], status=Status.ACCEPTED, answer="Yes"
        )
    assert not OutboxEmail.objects.filter(topic="consultations.answer").exists()


def test_support_once_per_account_and_per_browser(version):
    suggestion = factories.suggestion(version)
    citizen = UserFactory()
    assert services.support_suggestion(suggestion=suggestion, user=citizen)
    assert not services.support_suggestion(suggestion=suggestion, user=citizen)
    assert services.support_suggestion(suggestion=suggestion, browser_key="browser-1", address="a")
    assert not services.support_suggestion(suggestion=suggestion, browser_key="browser-1", address="a")
    suggestion.refresh_from_db()
    assert suggestion.support_count == 2
    with pytest.raises(IntegrityError):
        Support.objects.create(suggestion=suggestion, browser_key="browser-1")


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


def test_erasing_an_account_keeps_its_suggestions_anonymously(version):
    citizen = UserFactory()
    suggestion = factories.suggestion(version, author=citizen)
    other = factories.suggestion(version)
    services.support_suggestion(suggestion=other, user=citizen)
    exported = services.export_personal_data(citizen)
    assert exported[0]["reference"] == suggestion.reference
    services.anonymise_author(citizen)
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.author is None and Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert other.support_count == 0
    assert not suggestion.history.filter(author=citizen).exists()


def test_counters_follow_submissions_and_can_be_rebuilt(version):
    paragraph = version.paragraphs.order_by("position").first()
    factories.suggestion(version, paragraph=paragraph)
    factories.suggestion(version, section=paragraph.section, text="On the whole section, please.")
    factories.suggestion(version, text="On the whole document, please.")
    paragraph.refresh_from_db()
    paragraph.section.refresh_from_db()
    version.refresh_from_db()
    assert (version.suggestion_count, paragraph.section.suggestion_count, paragraph.suggestion_count) == (3, 2, 1)
    version.paragraphs.update(suggestion_count=0)
    services.recount_suggestions(version)
    paragraph.refresh_from_db()
    assert paragraph.suggestion_count == 1
