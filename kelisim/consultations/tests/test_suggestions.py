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
