"""The site map: ``/sitemap.xml`` is an index of one sitemap per section (``/sitemap-<key>.xml``), and each app
registers its section from ``AppConfig.ready()`` with ``core.registry.register_sitemap``.

A section lists fixed public pages (URL names) and public, published objects. Every page of the interface
exists in each language (``/kk/``, ``/ru/``, ``/en/``): each is listed once per language with ``hreflang``
alternates to the others, unless ``languages(item)`` says the item is in one language only (a news
article). A sitemap page costs one COUNT per queryset (once, for the paginator) and one query per queryset
whose rows fall on the page, whatever the number of rows; ``location`` must not query (use ``only()`` and
``select_related`` for what ``get_absolute_url`` reads). Hosts come from ``SITE_URL``, not from the sites
framework, so the map is right without any database setup.
"""

from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sitemaps.views import x_robots_tag
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation

from kelisim.core import registry


class Listing:
    """Fixed pages followed by the rows of some querysets, as one sequence a ``Paginator`` can count and
    slice: one COUNT per queryset, then only the rows of the page asked for."""

    def __init__(self, pages, querysets):
        self.pages = list(pages)
        self.querysets = list(querysets)

    @cached_property
    def _parts(self) -> list[tuple[object, int]]:
        return [(self.pages, len(self.pages)), *((queryset, queryset.count()) for queryset in self.querysets)]

    def __len__(self) -> int:
        return sum(size for _part, size in self._parts)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("a Listing is read by slices")
        start, stop = index.start or 0, len(self) if index.stop is None else index.stop
        rows, offset = [], 0
        for part, size in self._parts:
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows.extend(part[low:high])
            offset += size
        return rows


class SectionSitemap(Sitemap):
    """Subclasses set ``pages`` (URL names without arguments) and return ordered querysets from ``objects()``."""

    pages: tuple[str, ...] = ()
    limit = 2000  # items per sitemap page; each gives one URL per language, well under the 50,000 allowed
    changefreq = None
    priority = None

    def objects(self) -> list:
        return []

    def items(self) -> Listing:
        return Listing(self.pages, self.objects())

    @property
    def paginator(self) -> Paginator:
        return Paginator(self.items(), self.limit)

    def languages(self, item) -> list[str]:
        """The interface languages an item is listed in; all of them unless it is written in one."""
        return [code for code, _name in settings.LANGUAGES]

    def location(self, item) -> str:
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None

    def get_latest_lastmod(self):
        return None  # the index would otherwise read every item

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        base = f"{self.get_protocol()}://{self.get_domain()}"
        urls = []
        for item in self.paginator.page(page).object_list:
            locations = {}
            for language in self.languages(item):
                with translation.override(language):
                    locations[language] = base + self.location(item)
            alternates = (
                [{"location": location, "lang_code": language} for language, location in locations.items()]
                if len(locations) > 1
                else []
            )
            lastmod = self.lastmod(item)
            for location in locations.values():
                urls.append(
                    {
                        "item": item,
                        "location": location,
                        "lastmod": lastmod,
                        "changefreq": self.changefreq,
                        "priority": "" if self.priority is None else str(self.priority),
                        "alternates": alternates,
                    }
                )
        return urls


def site_base() -> str:
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme or 'https'}://{parts.netloc}"


@x_robots_tag
def index(request):
    """``/sitemap.xml``: every registered section, one entry per sitemap page."""
    entries = []
    for section in registry.sitemap_sections():
        location = site_base() + reverse("sitemap_section", kwargs={"section": section.key})
        sitemap = section.sitemap()
        last_mod = sitemap.get_latest_lastmod()
        entries.append({"location": location, "last_mod": last_mod})
        entries.extend(
            {"location": f"{location}?p={page}", "last_mod": last_mod}
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


def section(request, section: str):
    """``/sitemap-<section>.xml`` (``?p=2`` for the next page)."""
    sections = {registered.key: registered.sitemap for registered in registry.sitemap_sections()}
    if section not in sections:
        raise Http404
    return sitemap_view(request, sitemaps={section: sections[section]}, section=section)


class HomeSitemap(SectionSitemap):
    """Core's own pages: the home page and the page on privacy and open data."""

    pages = ("core:home", "core:about_data")
