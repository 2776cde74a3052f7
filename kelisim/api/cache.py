"""The public API's lists and objects, answered once per change to anonymous clients (core/pagecache.py).

A GET without credentials (no ``Authorization`` header, no session cookie) under one of the prefixes below is
kept under the versions of the scopes its data comes from, like a public page. Clients with a token or a
session get their own answer, rendered for them. Streamed answers (the bulk OCDS files) are never kept."""

from kelisim.core.pagecache import EVERYTHING, PLAN_SCOPES, public_page

# First path segment under /api/v1/ -> the scopes its answers show.
API_SCOPES = {
    "activities": ("activities", "organisations", "plans", "core"),
    "articles": ("publications",),
    "comments": EVERYTHING,
    "consultations": ("consultations", "core"),
    "experts": ("organisations", "accounts", "core"),
    "funding": ("funding", "organisations", "activities", "core"),
    "organisations": ("organisations", "core"),
    "plan": PLAN_SCOPES,
    "roundtables": ("meetings", "organisations", "core"),
}
PREFIX = "/api/v1/"


class PublicApiCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.kept = {
            segment: public_page(*scopes)(lambda request: self.get_response(request))
            for segment, scopes in API_SCOPES.items()
        }

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path.startswith(PREFIX):
            segment = request.path[len(PREFIX) :].split("/", 1)[0]
            kept = self.kept.get(segment)
            if kept is not None:
                return kept(request)
        return self.get_response(request)
