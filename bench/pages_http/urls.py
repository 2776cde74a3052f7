"""Kelisim's addresses plus /bench-floor/: a view that only answers "ok" through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from kelisim.urls import *  # noqa: F403
from kelisim.urls import urlpatterns as kelisim_urlpatterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench-floor/", floor, name="bench-floor"), *kelisim_urlpatterns]
