"""Two ways a request is answered honestly before it can become a server error.

**Unstorable input.** Input that no database can store is refused before any view, form or rate limit sees it.

A NUL character cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate (``"\\ud800"`` in JSON)
cannot be encoded at all; either used to end in a server error after a rate limit had already counted the
attempt. Browsers never send them from a form field, so whoever does gets a clear 422 (JSON for the API, a
page in the reader's language otherwise) naming where the character was.

**Database outage.** While the database cannot be reached, every request that needs it gets 503 with
``Retry-After`` (a page in the reader's language, or the API's JSON error) instead of 500, so that clients and
load balancers wait and retry; nothing of the error is shown.
"""

import json
import logging
import re

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


class DatabaseOutageMiddleware:
    """Turns a view's lost database connection into 503 (other middleware's go through ``handler500``, which
    makes the same choice)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return outage_response(request)
        return None
