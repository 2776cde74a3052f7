"""The sitemap machinery: registered sections, the index, pages of a long section and hosts from SITE_URL."""

import re

import pytest
from django.urls import reverse

from kelisim.core import registry
from kelisim.core.models import Region
from kelisim.core.sitemaps import Listing, SectionSitemap
from kelisim.core.tests.queries import count_page_queries

pytestmark = pytest.mark.django_db


class RegionSitemap(SectionSitemap):
    """A long section for the tests: the about page, then the 20 regions five to a sitemap page."""

    pages = ("core:about_data",)
    limit = 5

    def objects(self):
        return [Region.objects.order_by("code")]

    def location(self, item):
        if isinstance(item, Region):
            return reverse("core:home") + f"?region={item.code}"
        return super().location(item)


@pytest.fixture
def regions_section(monkeypatch):
    monkeypatch.setattr(registry, "_sitemap_sections", {})
    registry.register_sitemap(registry.SitemapSection("regions", RegionSitemap))
    return Region.objects.count()


def test_a_listing_slices_across_its_pages_and_querysets():
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))
    listing = Listing(["first", "second"], [Region.objects.order_by("code"), Region.objects.order_by("-code")])
    assert len(listing) == 2 + 2 * len(codes)
    assert listing[1:4] == ["second", *Region.objects.order_by("code")[:2]]
    assert [region.code for region in listing[len(codes) + 1 : len(codes) + 3]] == [codes[-1], codes[-1]]
    assert listing[2 + 2 * len(codes) - 1 :][0].code == codes[0]


def test_the_index_lists_every_page_of_a_long_section(client, regions_section):
    pages = -(-(regions_section + 1) // RegionSitemap.limit)
    index = client.get("/sitemap.xml")
    assert index["Content-Type"].startswith("application/xml")
    listed = re.findall(r"<loc>([^<]+)</loc>", index.text)
    base = "http://127.0.0.1:8000/sitemap-regions.xml"
    assert listed == [base] + [f"{base}?p={page}" for page in range(2, pages + 1)]


def test_each_sitemap_page_lists_its_items_in_every_language(client, regions_section):
    first = client.get("/sitemap-regions.xml").text
    assert len(re.findall(r"<url>", first)) == RegionSitemap.limit * 3
    assert "<loc>http://127.0.0.1:8000/kk/privacy-and-open-data/</loc>" in first
    assert 'hreflang="ru" href="http://127.0.0.1:8000/ru/privacy-and-open-data/"' in first
    last_page = -(-(regions_section + 1) // RegionSitemap.limit)
    last = client.get(f"/sitemap-regions.xml?p={last_page}").text
    last_code = Region.objects.order_by("code").last().code
    assert f"?region={last_code}</loc>" in last
    assert client.get(f"/sitemap-regions.xml?p={last_page + 1}").status_code == 404
    assert client.get("/sitemap-regions.xml?p=first").status_code == 404
    assert client.get("/sitemap-unknown.xml").status_code == 404


def test_a_sitemap_page_reads_only_its_own_rows(client, regions_section):
    client.get("/sitemap-regions.xml")  # the sites framework's current site is read once, then cached
    count, queries = count_page_queries(client, "/sitemap-regions.xml?p=2")
    assert count == 2  # one COUNT for the paginator, one query for the page's rows
    assert "LIMIT 5" in queries[-1]


def test_hosts_come_from_site_url(client, settings, regions_section):
    settings.SITE_URL = "https://kelisim.example.kz"
    assert "<loc>https://kelisim.example.kz/sitemap-regions.xml</loc>" in client.get("/sitemap.xml").text
    assert "<loc>https://kelisim.example.kz/en/privacy-and-open-data/</loc>" in client.get("/sitemap-regions.xml").text


def test_core_lists_its_own_pages(client):
    text = client.get("/sitemap-pages.xml").text
    for language in ("kk", "ru", "en"):
        assert f"<loc>http://127.0.0.1:8000/{language}/</loc>" in text
        assert f"<loc>http://127.0.0.1:8000/{language}/privacy-and-open-data/</loc>" in text
