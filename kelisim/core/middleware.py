"""Two ways a request is answered honestly before it can become a server error.

**Unstorable input.** Input that no database can store is refused before any view, form or rate limit sees it.

A NUL character cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate (``"\\ud800"`` in JSON)
cannot be encoded at all; either used to end in a server error after a rate limit had already counted the
attempt. Browsers never send them from a form field, so whoever does gets a clear 422 (JSON for the API, a
page in the reader's language otherwise) naming where the character was.

**Database outage.** While the database cannot be reached, a visitor asking for a public page gets the last
copy of it (kept in the shared cache as pages are served, refreshed every five minutes); any other request
that needs the database gets 503 with ``Retry-After`` (a page in the reader's language, or the API's JSON
error) instead of 500, so that clients and load balancers wait and retry; nothing of the error is shown.
"""

import gzip
import hashlib
import json
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kelisim.core.errors import error_payload

# A JSON body can only carry a NUL or a surrogate as an escape (raw ones are invalid JSON or invalid UTF-8).
SUSPICIOUS_JSON = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def is_storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unstorable_in_json(value, location: tuple) -> tuple | None:
    if isinstance(value, str):
        return None if is_storable(value) else location
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and not is_storable(key):
            return (*location, "?")
        found = _unstorable_in_json(item, (*location, key))
        if found:
            return found
    return None


def _unstorable_in_form(querydict, part: str) -> tuple | None:
    for key, values in querydict.lists():
        if not is_storable(key):
            return (part, "?")
        for value in values:
            if isinstance(value, str) and not is_storable(value):
                return (part, key)
    return None


def unstorable_location(request) -> tuple | None:
    """Where the request carries text that cannot be stored (e.g. ``("body", "text")``), or None."""
    found = _unstorable_in_form(request.GET, "query")
    if found:
        return found
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH"):
        if content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            if SUSPICIOUS_JSON.search(body):
                try:
                    return _unstorable_in_json(json.loads(body), ("body",))
                except ValueError:
                    return None  # the API itself answers invalid JSON
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return _unstorable_in_form(request.POST, "body")
    return None


class UnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        location = unstorable_location(request)
        if location is None:
            return self.get_response(request)
        message = _("The request contains a character that cannot be stored (a NUL or a broken character).")
        if request.path.startswith("/api/"):
            details = [{"loc": [str(part) for part in location], "message": message, "type": "unstorable_text"}]
            return JsonResponse(error_payload("invalid", "The data is not valid.", details), status=422)
        return _standalone_page(request, "422.html", status=422, context={"field": location[-1]})


def _standalone_page(request, template: str, *, status: int, context: dict | None = None):
    """A page rendered without context processors, so it needs neither the database nor a session."""
    return HttpResponse(render_to_string(template, context or {}), status=status)


logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def is_database_outage(error: BaseException | None) -> bool:
    """A lost or refused connection (or a database too busy to answer), as opposed to a bug in a query."""
    return isinstance(error, OperationalError | InterfaceError)


def outage_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        payload = error_payload("unavailable", "The service is temporarily unavailable; try again shortly.")
        response = JsonResponse(payload, status=503)
    else:
        response = _standalone_page(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


STALE_KEEP_SECONDS = 24 * 60 * 60
STALE_REFRESH_SECONDS = 300


def _outage_copies():
    """Where the copies live: with the kept pages (files shared by the machine's processes, or Redis), so that a
    copy one process kept answers from every process, and none of them sits in a worker's memory."""
    from django.core.cache import caches

    return caches["pages"] if "pages" in settings.CACHES else cache


def _stale_key(request) -> str | None:
    """The key of a visitor's public page, or None when the answer may be personal (a session, flash
    messages) or is not a page read."""
    if request.method != "GET" or request.path.startswith("/api/") or request.path.startswith("/admin/"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"kelisim:stale-page:{digest}"


# A form's tokens in a copy: the CSRF token (masked, but its secret is the visitor's) and a one-time submission token.
_VISITOR_TOKENS = re.compile(rb'(name="(?:csrfmiddlewaretoken|submission_token)" value=")[^"]*(")')


def keep_for_outages(request, response) -> None:
    """Keep a copy of a visitor's public page, refreshed at most every five minutes, for ``serve_stale``. The
    copy goes to other visitors: the tokens of the visitor it was rendered for are taken out of its forms (no
    form can be sent during an outage anyway)."""
    key = _stale_key(request)
    if key is None or response.status_code != 200 or response.streaming:
        return
    if not response.get("Content-Type", "").startswith("text/html") or response.cookies:
        return
    copies = _outage_copies()
    if copies.add(f"{key}:fresh", 1, STALE_REFRESH_SECONDS):
        content = response.content
        if response.get("Content-Encoding") == "gzip":  # a kept page answered compressed
            content = gzip.decompress(content)
        elif response.has_header("Content-Encoding"):
            return
        copies.set(key, (_VISITOR_TOKENS.sub(rb"\1\2", content), response["Content-Type"]), STALE_KEEP_SECONDS)


def serve_stale(request) -> HttpResponse | None:
    """During an outage, the last copy of a public page, marked as such, instead of 503."""
    key = _stale_key(request)
    try:
        kept = _outage_copies().get(key) if key else None
    except Exception:  # the cache may be down too
        return None
    if kept is None:
        return None
    content, content_type = kept
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Kelisim-Stale"] = "1"  # served from the last copy while the database is unreachable
    return response


class DatabaseOutageMiddleware:
    """Turns a view's lost database connection into the last copy of a public page, or 503 (other middleware's
    go through ``handler500``, which makes the same choice). Keeps those copies as pages are served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("X-Kelisim-Stale") is None:
            try:
                keep_for_outages(request, response)
            except Exception:  # a cache that is down must not take the page with it
                logger.warning("Could not keep a copy of %s for outages", request.path)
        return response

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return serve_stale(request) or outage_response(request)
        return None


def request_size_limit(request) -> int:
    """The most bytes a request may carry: a form or JSON body up to DATA_UPLOAD_MAX_MEMORY_SIZE; a multipart
    upload up to MAX_UPLOAD_REQUEST_BYTES (the largest file the platform takes, with its form)."""
    if (request.content_type or "") == "multipart/form-data":
        return settings.MAX_UPLOAD_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large_response(request, limit: int) -> HttpResponse:
    megabytes = max(1, limit // (1024 * 1024))
    if request.path.startswith("/api/"):
        message = f"The request body is larger than {megabytes} MB."
        return JsonResponse(error_payload("payload_too_large", message), status=413)
    return _standalone_page(request, "413.html", status=413, context={"megabytes": megabytes})


class RequestSizeMiddleware:
    """A body over the limit is answered 413 from its Content-Length, before anything reads it (reading it
    raised RequestDataTooBig deep in a view or middleware: a 400 page, or a 500 from the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_size_limit(request)
        if length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)
