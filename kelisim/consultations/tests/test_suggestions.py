import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from kelisim.accounts.tests.factories import UserFactory
from kelisim.consultations import services
from kelisim.consultations.models import Status, Suggestion, Support
from kelisim.consultations.ratelimit import RateLimited
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db


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


# --- Suggestions recorded by an officer (letter, phone, meeting, forwarded email) -------------------------


def _pdf(name="letter.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", content_type="application/pdf"
    )


def test_an_officer_records_a_letter_with_its_scan_and_it_joins_the_queue(version, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from kelisim.accounts.tests.factories import make_staff
    from kelisim.core.models import OutboxEmail

    officer = make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.record_suggestion(
            actor=officer,
            version=version,
            channel="letter",
            text="Прошу открыть в нашем селе кружок для подростков при школе.",
            received_on=timezone.localdate(),
            contact_email="writer@example.org",
            contact_note="  Ул. Абая 5, с. Кеңес  ",
            scan=_pdf(),
        )
    assert letter.channel == "letter" and letter.recorded_by == officer and letter.author is None
    assert letter.language == "ru" and letter.reference.startswith("2017-")
    assert letter.scan_content_type == "application/pdf" and not letter.scan.name.endswith(".pdf")
    assert letter.contact_note == "Ул. Абая 5, с. Кеңес"
    assert [c.to_status for c in letter.status_changes.all()] == [Status.RECEIVED]
    # Confirmed like an anonymous author's address, and indexed for duplicates like any suggestion.
    assert OutboxEmail.objects.filter(to="writer@example.org", topic="consultations.confirm").count() == 1
    from kelisim.consultations.models import SuggestionVector

    assert SuggestionVector.objects.filter(suggestion=letter).exists()
    version.refresh_from_db()
    assert version.suggestion_count == 1


def test_recording_refuses_bad_input_and_non_officers(version):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from kelisim.accounts.tests.factories import make_staff

    officer = make_staff()
    today = timezone.localdate()
    good = {"version": version, "text": "Phone call: open a youth club in the village school.", "received_on": today}
    with pytest.raises(PermissionDenied):
        services.record_suggestion(actor=UserFactory(), channel="phone", **good)
    with pytest.raises(ValidationError) as web:
        services.record_suggestion(actor=officer, channel="web", **good)
    assert "channel" in web.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.record_suggestion(actor=officer, channel="phone", **{**good, "received_on": today + timedelta(days=2)})
    assert "received_on" in future.value.message_dict
    with pytest.raises(ValidationError) as before:
        services.record_suggestion(
            actor=officer, channel="phone", **{**good, "received_on": today - timedelta(days=90)}
        )
    assert "received_on" in before.value.message_dict
    lying = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as scan:
        services.record_suggestion(actor=officer, channel="letter", scan=lying, **good)
    assert "scan" in scan.value.message_dict
    assert not Suggestion.objects.exists()


def test_statistics_count_by_channel(version):
    from django.utils import timezone

    from kelisim.accounts.tests.factories import make_staff
    from kelisim.consultations import selectors

    officer = make_staff()
    factories.suggestion(version)
    for channel in ("letter", "phone", "phone", "meeting"):
        services.record_suggestion(
            actor=officer,
            version=version,
            channel=channel,
            text=f"Received by {channel}: more sports sections for teenagers.",
            received_on=timezone.localdate(),
        )
    counts = dict(selectors.statistics(version)["by_channel"])
    assert counts == {
        "Website": 1,
        "Email to the intake address": 0,
        "Letter": 1,
        "Phone call": 2,
        "At a meeting": 1,
        "Email forwarded by an officer": 0,
    }
