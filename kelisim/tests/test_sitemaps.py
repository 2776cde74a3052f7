"""The site map across apps: each app's section lists its public pages and its public, published objects only,
and no section's query count grows with the data behind it."""

import re

import pytest
from django.utils import timezone

from kelisim.consultations import services as consultation_services
from kelisim.consultations.models import Document
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core import registry
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories as funding_factories
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import roundtable
from kelisim.organisations.models import Organisation
from kelisim.organisations.tests.factories import OrganisationFactory
from kelisim.plans import services as plan_services
from kelisim.plans.models import PlanVersion
from kelisim.plans.tests.factories import add_items, draft_with_items
from kelisim.publications.tests.factories import ArticleFactory, draft

pytestmark = pytest.mark.django_db

HOST = "http://127.0.0.1:8000"
SECTIONS = ("pages", "consultation", "roundtables", "plan", "funding", "results", "organisations", "news")


def locations(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return set(re.findall(r"<loc>([^<]+)</loc>", response.text))


def test_every_app_registers_its_section_and_the_index_lists_them(client):
    assert [section.key for section in registry.sitemap_sections()] == list(SECTIONS)
    index = client.get("/sitemap.xml")
    assert b"<sitemapindex" in index.content
    assert set(re.findall(r"<loc>([^<]+)</loc>", index.text)) == {f"{HOST}/sitemap-{key}.xml" for key in SECTIONS}
    for key in SECTIONS:
        assert client.get(f"/sitemap-{key}.xml").status_code == 200
    assert client.get("/sitemap-unknown.xml").status_code == 404


def test_interface_pages_are_listed_in_every_language_with_hreflang_alternates(client):
    response = client.get("/sitemap-results.xml")
    found = set(re.findall(r"<loc>([^<]+)</loc>", response.text))
    assert {f"{HOST}/{language}/activities/" for language in ("kk", "ru", "en")} <= found
    assert f'hreflang="kk" href="{HOST}/kk/activities/"' in response.text
    assert f'hreflang="ru" href="{HOST}/ru/activities/"' in response.text


def test_consultation_lists_documents_with_a_published_version_only(client):
    consultation_factories.open_version(slug="public-draft")
    hidden_document = consultation_services.save_document(
        actor=None,
        programme=consultation_factories.programme(),
        slug="not-yet",
        kind=Document.Kind.OTHER,
        title_en="Not yet",
    )
    consultation = locations(client, "/sitemap-consultation.xml")
    assert f"{HOST}/en/consultation/d/public-draft/" in consultation
    assert f"{HOST}/en/consultation/suggestions/" in consultation
    assert not any(hidden_document.slug in location for location in consultation)


def test_roundtables_lists_scheduled_roundtables_not_cancelled_ones(client):
    held = roundtable()
    cancelled = roundtable(title="Called off")
    meeting_services.cancel_roundtable(actor=None, roundtable=cancelled, reason="Postponed.")
    roundtables = locations(client, "/sitemap-roundtables.xml")
    assert f"{HOST}/ru/roundtables/{held.pk}/" in roundtables
    assert f"{HOST}/ru/roundtables/{cancelled.pk}/" not in roundtables


def test_plan_lists_the_published_version_and_its_items_never_the_working_copy(client):
    published = draft_with_items(items_per_strand=1)
    working = plan_services.start_version(actor=None, plan=published.plan, kind=PlanVersion.Kind.DRAFT)
    add_items(working, 1)
    unpublished_code = working.items.get(tracked__first_published_in__isnull=True).tracked.code
    plan = locations(client, "/sitemap-plan.xml")
    assert f"{HOST}/kk/plan/v{published.number}/" in plan
    assert f"{HOST}/kk/plan/v{working.number}/" not in plan
    assert f"{HOST}/kk/plan/items/{published.items.first().tracked.code}/" in plan
    assert f"{HOST}/kk/plan/items/{unpublished_code}/" not in plan


def test_funding_lists_published_calls_and_signed_contracts_only(client):
    contract = funding_factories.signed_contract()
    draft_call = funding_factories.open_call(reference="draft-call", publish=False)
    draft_contract = funding_factories.signed_contract(
        status=Contract.Status.DRAFT, call=funding_factories.open_call(reference="second")
    )
    funding = locations(client, "/sitemap-funding.xml")
    assert f"{HOST}/en/funding/calls/{contract.application.call.reference}/" in funding
    assert f"{HOST}/en/funding/contracts/{contract.number}/" in funding
    assert f"{HOST}/en/funding/calls/{draft_call.reference}/" not in funding
    assert f"{HOST}/en/funding/contracts/{draft_contract.number}/" not in funding


def test_organisations_lists_every_organisation_the_public_may_see(client):
    listed = OrganisationFactory()
    excluded = OrganisationFactory(verification_status=Organisation.Verification.EXCLUDED)
    organisations = locations(client, "/sitemap-organisations.xml")
    assert f"{HOST}/en/organisations/{listed.pk}/" in organisations
    assert f"{HOST}/en/organisations/{excluded.pk}/" not in organisations


def test_news_lists_public_articles_under_their_own_language_only(client):
    story = ArticleFactory(language="kk", slug="kk-story")
    hidden = draft(slug="secret-draft")
    future = ArticleFactory(slug="tomorrow", published_at=timezone.now() + timezone.timedelta(days=1))
    news = client.get("/sitemap-news.xml").text
    assert f"<loc>{HOST}/kk/news/kk-story/</loc>" in news
    assert f"{HOST}/en/news/kk-story/" not in news and f"{HOST}/ru/news/kk-story/" not in news
    assert hidden.slug not in news and future.slug not in news
    assert f"<loc>{HOST}/ru/news/</loc>" in news
    assert timezone.localtime(story.updated_at).strftime("<lastmod>%Y-%m-%d</lastmod>") in news


def _more_of_everything(number: int):
    def add():
        for serial in range(3):
            key = f"{number}-{serial}"
            consultation_factories.open_version(slug=f"doc-{key}")
            roundtable(title=f"Roundtable {key}")
            OrganisationFactory()
            ArticleFactory(slug=f"story-{key}")
            funding_factories.signed_contract(call=funding_factories.open_call(reference=f"call-{key}"))
        latest = plan_services.latest_published(PlanVersion.objects.first().plan)
        second = plan_services.start_version(actor=None, plan=latest.plan, kind=PlanVersion.Kind.DRAFT)
        add_items(second, 5)
        plan_services.publish_version(actor=None, version=second)

    return add


@pytest.mark.parametrize("key", ["index", *SECTIONS])
def test_query_count_does_not_grow_with_the_data(client, key):
    draft_with_items(items_per_strand=1)
    _more_of_everything(0)()  # some of everything, so that every queryset has rows on the first page
    url = "/sitemap.xml" if key == "index" else f"/sitemap-{key}.xml"
    assert_queries_do_not_grow(client, url, add_data=_more_of_everything(1), limit=12)
