"""Forms announce their errors (issue 16, item 5): a rejected form shows one summary at the top, headed
"There is a problem", with a link to each invalid field; each invalid field is aria-invalid and described by
its own error message; nothing typed is lost. One representative form of each kind."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.tests.factories import PASSWORD, UserFactory
from kelisim.activities.models import ATTENDANCE_FIELDS
from kelisim.activities.tests.factories import OrganisationFactory, member_of
from kelisim.comments.tests.hosts import HOST_KEY, register_test_host
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.funding.models import Application
from kelisim.funding.tests import factories as funding_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _tag(html: str, field_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{field_id}"[^>]*>', html)
    assert match, f"no field #{field_id}"
    return match.group(0)


def assert_announced(html: str, *field_ids: str) -> None:
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert summary, "no error summary"
    opening = summary.group(0).split(">", 1)[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    assert "<h2>There is a problem</h2>" in summary.group(0)
    assert html.index('class="error-summary"') < html.index(f'id="{field_ids[0]}"')  # at the top of the form
    for field_id in field_ids:
        assert f'href="#{field_id}"' in summary.group(0)
        tag = _tag(html, field_id)
        assert 'aria-invalid="true"' in tag
        described = re.search(r'aria-describedby="([^"]*)"', tag)
        assert described and f"{field_id}_error" in described.group(1).split(), tag
        assert f'id="{field_id}_error"' in html  # the message it points to exists


def test_the_suggestion_form(client):
    version = consultation_factories.open_version()
    url = reverse("consultations:suggest", args=[version.document.slug, version.number])
    response = client.post(url, {"text": "Short", "title": "Кітапханалар", "contact_email": "not-an-address"})
    html = response.content.decode()
    assert_announced(html, "id_text", "id_contact_email")
    # The live counter and the help stay described too.
    assert {"text-help", "text-counter"} <= set(
        re.search(r'aria-describedby="([^"]*)"', _tag(html, "id_text")).group(1).split()
    )
    assert (
        re.search(r">\s*Short</textarea>", html) and 'value="Кітапханалар"' in html and 'value="not-an-address"' in html
    )


def test_the_comment_form(client):
    register_test_host()
    host = OrganisationFactory()
    response = client.post(
        reverse("comments:post", args=[HOST_KEY, host.pk]),
        {"name": "Aigul", "email": "aigul@", "text": "", "accept_policy": "on"},
    )
    html = response.content.decode()
    assert_announced(html, "id_text", "id_email")
    assert 'value="Aigul"' in html and 'value="aigul@"' in html


def test_the_application_form(client):
    call = funding_factories.open_call()
    organisation = funding_factories.verified_organisation()
    client.force_login(funding_factories.member(organisation))
    client.post(reverse("funding:application_start", args=[call.reference]), {"organisation": organisation.pk})
    application = Application.objects.get(organisation=organisation)
    question = call.questions.get(kind="long_text")
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]),
        {"title": "Peace lectures", "summary": "", question.field_name: "x" * 600, "action": "submit"},
    )
    html = response.content.decode()
    assert_announced(html, "id_summary", f"id_{question.field_name}")
    assert 'value="Peace lectures"' in html and "x" * 600 in html


def test_the_activity_report_form(client):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    data = dict.fromkeys((*ATTENDANCE_FIELDS, "online_posts", "online_views", "online_shares"), "0")
    data |= {
        "region": Region.objects.get(code="KZ-33").pk,
        "strand": strand.pk,
        "activity_type": "meeting",
        "title": "Meeting in a college",
        "start_date": "2026-02-10",
        "end_date": "not a date",
        "submit": "1",
    }
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    html = response.content.decode()
    assert_announced(html, "id_end_date")
    assert 'value="Meeting in a college"' in html


def test_the_sign_in_form(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD + "?"})
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert summary and "<h2>There is a problem</h2>" in summary.group(0)
    assert "not correct" in summary.group(0)
    assert f'value="{user.email}"' in html
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert_announced(response.content.decode(), "id_login", "id_password")
