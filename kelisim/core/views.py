import sys

from django.shortcuts import render

from kelisim.core import registry, search
from kelisim.core.middleware import is_database_outage, outage_response, serve_stale
from kelisim.core.pagecache import EVERYTHING, public_page
from kelisim.core.selectors import home_figures

SEARCH_HITS_PER_KIND = 5


def site_search(request):
    """The header's search box: every registered kind at once, grouped, each with its count and its list."""
    query = (request.GET.get("q") or "").strip()[:200]
    groups = []
    if search.query_terms(query):
        for kind in registry.search_kinds():
            count, hits = kind.search(query, request.user, SEARCH_HITS_PER_KIND)
            groups.append(
                {"key": kind.key, "count": count, "label": kind.label(count), "hits": hits, "url": kind.list_url(query)}
            )
    total = sum(group["count"] for group in groups)
    return render(request, "core/search.html", {"query": query, "groups": groups, "total": total})


@public_page(*EVERYTHING)
def home(request):
    return render(request, "core/home.html", {"figures": home_figures()})


def _error(request, status: int, template: str):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    if is_database_outage(sys.exc_info()[1]):
        return serve_stale(request) or outage_response(request)
    return _error(request, 500, "500.html")


@public_page("core")
def about_data(request):
    from django.urls import reverse

    return render(request, "core/about_data.html", {"api_url": reverse("api:openapi-view")})
