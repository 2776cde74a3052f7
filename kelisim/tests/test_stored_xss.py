"""Stored-XSS and upload suite (issue 18). Payloads of our own — script tags, event handlers, javascript: and
data: addresses, SVG with script, template syntax, Markdown links — are stored through each way people write
text others read, and every page that shows them must show them inert: no script element, no event handler
and no javascript:/data: link carrying them. Every file field refuses hostile files, and what a file field
does accept is only ever served as a typed download with nosniff and a sandbox."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation

from kelisim.core import files

pytestmark = pytest.mark.django_db

MARK = "kxss"
PAYLOADS = [
    f"<script>{MARK}(1)</script>",
    f'<img src=x onerror="{MARK}(2)">',
    f'"><svg onload={MARK}(3)>',
    f"'><body onpageshow={MARK}(4)>",
    f'<a href="javascript:{MARK}(5)">click</a>',
    f"javascript:{MARK}(6)",
    f'<iframe src="data:text/html,<script>{MARK}(7)</script>"></iframe>',
    f'<svg><script xlink:href="data:,{MARK}(8)"></script></svg>',
    f"[link](javascript:{MARK}(9)) ![x](data:image/svg+xml,<svg onload={MARK}(10)>)",
    f"{{{{ {MARK} }}}}{{% debug %}}<math><mtext><style><img src=x onerror={MARK}(11)></style>",
]
TEXT = " ".join(PAYLOADS)
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "poster", "background"}


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self._in_script = [], False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.problems.append(f"<{tag} {name}={value!r}>")
            squeezed = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in {"iframe", "object", "embed", "math"} and any(MARK in (v or "") for _n, v in attrs):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and MARK in data:
            self.problems.append(f"<script>{data[:60]}")


def assert_inert(html: str) -> None:
    inspector = _Inspector()
    inspector.feed(html)
    assert inspector.problems == [], inspector.problems
    assert MARK in html, "the page did not show the stored text at all: the test would prove nothing"


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


# --- Text written by one person and read by another ----------------------------------------------------------


def test_activity_report_text_is_inert_for_officers_and_the_public(client):
    from kelisim.activities.models import ReportStatus
    from kelisim.activities.tests.factories import ReportFactory, staff_officer

    report = ReportFactory(title=PAYLOADS[0][:290], description=TEXT, settlement=PAYLOADS[1], status="submitted")
    report.material_links = f"https://example.kz/a\njavascript:{MARK}(5)\ndata:text/html,<script>{MARK}</script>"
    report.save()
    client.force_login(staff_officer())
    assert_inert(client.get(report.get_absolute_url()).text)
    assert_inert(client.get(en("activities:queue")).text)
    report.status = ReportStatus.VERIFIED
    report.save()
    client.logout()
    assert_inert(client.get(report.get_absolute_url()).text)


def test_organisation_profile_text_is_inert(client):
    from kelisim.organisations.tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name_en=PAYLOADS[2][:200], description_en=TEXT, website=f"javascript:{MARK}(6)")
    assert_inert(client.get(organisation.get_absolute_url()).text)
    assert_inert(client.get(en("organisations:list"), {"q": MARK}).text)


def test_comments_and_display_names_are_inert(client):
    from kelisim.comments.tests.factories import CommentFactory
    from kelisim.publications.tests.factories import ArticleFactory

    article = ArticleFactory(title="Roundtable in Taraz")
    CommentFactory(target=article, text=TEXT, author_name=PAYLOADS[3][:80])
    assert_inert(client.get(article.get_absolute_url()).text)


def test_news_articles_written_in_markdown_are_inert(client):
    from kelisim.publications import services
    from kelisim.publications.tests.factories import ArticleFactory

    officer = _officer()
    article = ArticleFactory(title="Safe title")
    services.update_article(actor=officer, article=article, title=PAYLOADS[0][:200], lead=PAYLOADS[1], body=TEXT)
    assert_inert(client.get(article.get_absolute_url()).text)
    assert_inert(client.get(en("publications:list")).text)


def test_suggestions_are_inert_for_officers_and_the_public(client):
    from kelisim.consultations.tests import factories

    version = factories.open_version()
    suggestion = factories.suggestion(version, text=("Hold meetings. " + TEXT)[:1500])
    client.force_login(_officer())
    assert_inert(client.get(suggestion.get_absolute_url()).text)


def test_roundtable_minutes_and_links_are_inert(client):
    from kelisim.meetings import services
    from kelisim.meetings.tests.factories import roundtable

    meeting = roundtable(online_url="https://meet.example.kz/room")
    meeting.__class__.objects.filter(pk=meeting.pk).update(online_url=f"javascript:{MARK}(6)")
    services.save_minutes(actor=_officer(), roundtable=meeting, markdown=TEXT)
    meeting.refresh_from_db()
    client.force_login(_officer())
    assert_inert(client.get(meeting.get_absolute_url()).text)


def test_milestone_reports_are_inert_for_the_officer(client):
    from kelisim.funding import services
    from kelisim.funding.tests import factories

    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    contract = factories.signed_contract(organisation=organisation, applicant=applicant)
    milestone = contract.milestones.first()
    services.submit_milestone_report(actor=applicant, milestone=milestone, narrative=TEXT[:9000])
    client.force_login(_officer())
    assert_inert(client.get(contract.get_absolute_url()).text)


def assert_escaped(html: str, payload: str = PAYLOADS[0]) -> None:
    """The payload is on the page as escaped text (so the page really shows it), and the inspector finds it inert."""
    from django.utils.html import escape

    assert_inert(html)
    assert escape(payload) in html, "the stored text is not shown escaped on the page"


def test_call_texts_are_inert_on_the_public_call_page(client):
    from kelisim.funding.tests import factories

    call = factories.open_call(title_en=PAYLOADS[0][:200], description_en=TEXT)
    assert_escaped(client.get(call.get_absolute_url()).text)


def test_application_answers_review_comments_and_inbox_are_inert_for_officers_and_reviewers(client):
    from kelisim.funding import services
    from kelisim.funding.tests import factories

    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    services.save_draft(
        actor=applicant,
        application=application,
        title=PAYLOADS[0][:200],
        summary=TEXT[:1000],
        answers={str(question.pk): TEXT[:500] for question in call.questions.exclude(kind="budget")},
        budget=[services.BudgetRow(PAYLOADS[1][:200], application.call.min_award_kzt)],
    )
    application = services.submit_application(actor=applicant, application=application)
    person = factories.reviewer()
    assignment = factories.assignment_for(application, person)
    client.force_login(person)
    assert_escaped(client.get(application.get_absolute_url()).text)
    assert_escaped(client.get(en("notifications:inbox")).text)  # "you are asked to review <title>"
    services.submit_review(
        actor=person,
        assignment=assignment,
        scores={criterion.pk: (7, PAYLOADS[2]) for criterion in call.criteria.all()},
        comment=TEXT[:2000],
    )
    client.force_login(factories.officer())
    page = client.get(application.get_absolute_url()).text
    assert_escaped(page)
    assert_escaped(page, PAYLOADS[2])


def test_expert_profiles_are_inert_on_the_public_page(client):
    from kelisim.organisations.models import Expert
    from kelisim.organisations.tests.factories import UserFactory

    expert = Expert.objects.create(
        user=UserFactory(),
        full_name=PAYLOADS[0][:200],
        title_en=PAYLOADS[1][:200],
        bio_en=TEXT,
        languages="en",
        contact_email="expert@example.kz",
    )
    assert_escaped(client.get(expert.get_absolute_url()).text)


def test_suggestions_are_inert_on_their_public_pages_and_the_public_list(client):
    from kelisim.consultations.tests import factories

    version = factories.open_version(markdown="# Aims\n\n" + TEXT)
    suggestion = factories.suggestion(version, text=("Hold meetings. " + TEXT)[:1500])
    assert_escaped(client.get(suggestion.get_absolute_url()).text)
    assert_escaped(client.get(en("consultations:list")).text)
    assert_inert(client.get(en("consultations:version", version.document.slug, version.number)).text)


def test_roundtable_titles_and_agendas_are_inert(client):
    from kelisim.meetings.tests.factories import agenda_item, roundtable

    meeting = roundtable(title=PAYLOADS[0][:200])
    agenda_item(meeting, title=PAYLOADS[1][:200])
    client.force_login(_officer())
    page = client.get(meeting.get_absolute_url()).text
    assert_escaped(page)
    assert_escaped(page, PAYLOADS[1][:200])


def test_my_work_shows_assigned_suggestion_text_inert(client):
    from kelisim.consultations import services
    from kelisim.consultations.tests import factories

    version = factories.open_version()
    suggestion = factories.suggestion(version, text=("Hold meetings. " + TEXT)[:1500])
    officer, colleague = _officer(), _officer()
    services.assign_suggestions(actor=officer, suggestions=[suggestion], assignee=colleague)
    client.force_login(colleague)
    assert_escaped(client.get(en("worklists:home")).text, PAYLOADS[0][:40])


def test_plan_item_progress_notes_are_inert_on_the_public_item_page(client):
    from kelisim.plans import services
    from kelisim.plans.tests.factories import draft_with_items

    tracked = draft_with_items(items_per_strand=1).items.select_related("tracked").first().tracked
    services.record_progress(actor=_officer(), tracked=tracked, status="in_progress", progress=10, note=TEXT[:2000])
    assert_escaped(client.get(tracked.get_absolute_url()).text)


def _officer():
    from kelisim.activities.tests.factories import staff_officer

    return staff_officer()


# --- Links are web links only, on every way in --------------------------------------------------------------


@pytest.mark.parametrize("link", [f"javascript:{MARK}()", "data:text/html,<script>alert(1)</script>", "ftp://x.kz/a"])
def test_every_url_field_refuses_other_schemes(link):
    from django.core.exceptions import ValidationError

    url_fields = [
        field
        for model in apps.get_models()
        if model._meta.app_label in {"activities", "meetings", "organisations", "plans"}
        for field in model._meta.get_fields()
        if isinstance(field, models.URLField) and not model.__name__.startswith("Historical")
    ]
    assert len(url_fields) >= 4
    for field in url_fields:
        with pytest.raises(ValidationError):
            field.clean(link, None)


def test_the_api_refuses_javascript_links_in_reports(client):
    from kelisim.activities.models import ActivityReport
    from kelisim.activities.tests.factories import OrganisationFactory, member_of
    from kelisim.activities.tests.test_api import _payload, _post
    from kelisim.api.tests.helpers import make_token
    from kelisim.core.tests.factories import StrandFactory

    organisation = OrganisationFactory()
    token = make_token(member_of(organisation))
    StrandFactory(code="zero-tolerance")
    for link in (f"javascript:{MARK}()", "data:text/html,<script>alert(1)</script>"):
        response = _post(client, token, _payload(organisation, material_links=["https://example.kz", link]))
        assert response.status_code == 422
        details = response.json()["error"]["details"]
        assert [detail["loc"][-1] for detail in details] == ["material_links"], details
        assert link[:10] in details[0]["message"] and "https://" in details[0]["message"]  # in the user's language
    assert not ActivityReport.objects.exists()


# --- Every file field ------------------------------------------------------------------------------------------

HOSTILE = {
    "html-as.pdf": b"<!doctype html><html><script>kxss()</script></html>",
    "svg-as.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="kxss()"><script>kxss()</script></svg>',
    "script.js": b"fetch('/en/consultation/triage/').then(r=>r.text()).then(kxss)",
    "page.html": b"<html><body onload=kxss()>",
    "renamed.xlsx": b"PK\x03\x04 not really an archive <script>kxss()</script>",
}
# Polyglots whose first bytes are a real signature: accepted where that kind is, but only ever served typed
# by those bytes, as a download (a cover image inline, as an image), with nosniff and a sandbox.
POLYGLOT_GIF = b"GIF89a/*\x00\x00*/=1;<script>kxss()</script>"
POLYGLOT_PDF = b"%PDF-1.4\n<html><script>kxss()</script></html>"


def test_every_file_policy_refuses_hostile_files():
    policies = {files.policy_of(field).key for _label, field in _file_fields()}
    assert policies == set(files.POLICIES)
    for key in policies:
        for name, content in HOSTILE.items():
            with pytest.raises(Exception) as refused:
                files.POLICIES[key].check(SimpleUploadedFile(name, content))
            assert getattr(refused.value, "code", "") == "file_type", (key, name)


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


def assert_served_safely(response, *, inline_allowed: bool = False) -> None:
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    disposition = response["Content-Disposition"]
    if disposition.startswith("inline"):
        assert inline_allowed and response["Content-Type"] in files.IMAGE_TYPES
    else:
        assert disposition.startswith("attachment;")
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]


def test_polyglots_accepted_by_content_are_served_typed_and_sandboxed(client):
    from kelisim.activities.models import ReportStatus
    from kelisim.activities.tests.factories import ReportFactory
    from kelisim.publications.tests.factories import ArticleFactory

    gif = SimpleUploadedFile("cover.gif", POLYGLOT_GIF)
    assert files.COVER_IMAGE.check(gif) == files.GIF
    article = ArticleFactory(cover_image=SimpleUploadedFile("cover.gif", POLYGLOT_GIF), cover_alt="A cover")
    response = client.get(en("publications:cover", article.slug))
    assert_served_safely(response, inline_allowed=True)
    assert response["Content-Type"] == files.GIF

    assert files.DOCUMENTS.check(SimpleUploadedFile("a.pdf", POLYGLOT_PDF)) == files.PDF
    report = ReportFactory(
        status=ReportStatus.VERIFIED,
        material_file=SimpleUploadedFile("a.html", POLYGLOT_PDF),
        material_file_name="a.html",
    )
    response = client.get(en("activities:report_file", report.pk))
    assert_served_safely(response)
    assert response["Content-Type"] == files.PDF
    assert response["Content-Disposition"] == 'attachment; filename="a.html.pdf"'


def test_a_draft_articles_cover_is_not_public(client):
    from kelisim.publications.tests.factories import draft

    article = draft(cover_image=SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n0000"), cover_alt="A cover")
    assert client.get(en("publications:cover", article.slug)).status_code == 404
    client.force_login(_officer())
    assert_served_safely(client.get(en("publications:cover", article.slug)), inline_allowed=True)
