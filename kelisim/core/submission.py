"""One-time submission tokens: a form that creates something carries ``{% submission_token %}``; posting it
twice (a double click, a browser re-sending the POST, a retry after a lost answer) shows the first result
instead of creating a second record.

The first POST with a token claims it in the shared cache (an atomic ``add``) and, when it ends in a redirect
(the usual answer to a successful form), keeps where it went for a day. A repeat is redirected there. A
repeat that arrives while the first is still being processed waits for it briefly. A form re-shown with
errors releases its token, so correcting and sending again works (the re-shown form has a new token anyway).
"""

import hashlib
import hmac
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string

FIELD = "submission_token"
KEEP_SECONDS = 24 * 60 * 60
PENDING = "pending"
WAIT_FOR_FIRST_SECONDS = 10.0
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def new_token() -> str:
    return uuid.uuid4().hex


def _cache_key(token: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()[:40]
    return f"kelisim:submission:{digest}"


def _first_result(key: str) -> str | None:
    """Where the first submission went; waits while it is still being processed."""
    deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
    while (outcome := cache.get(key)) == PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
    return None if outcome in (None, PENDING) else outcome


class SubmissionTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = self._token(request)
        if token is None:
            return self.get_response(request)
        key = _cache_key(token)
        if not cache.add(key, PENDING, KEEP_SECONDS):
            location = _first_result(key)
            if location is not None:
                return HttpResponseRedirect(location, status=303)
            return HttpResponse(render_to_string("409.html"), status=409)
        try:
            response = self.get_response(request)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            cache.set(key, response["Location"], KEEP_SECONDS)
        else:
            cache.delete(key)
        return response

    @staticmethod
    def _token(request) -> str | None:
        if request.method != "POST" or (request.content_type or "") not in FORM_TYPES:
            return None
        token = request.POST.get(FIELD, "")
        return token if 16 <= len(token) <= 64 and token.isalnum() else None
