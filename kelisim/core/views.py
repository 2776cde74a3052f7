import sys

from django.shortcuts import render

from kelisim.core.middleware import is_database_outage, outage_response, serve_stale
from kelisim.core.pagecache import EVERYTHING, public_page
from kelisim.core.selectors import home_figures


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
