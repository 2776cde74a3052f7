"""API throttling, per address and per token, before anything else reads the request.

Every request to /api/ counts against its network address; a request that carries a token (``Authorization:
Bearer kls_…``) also counts against that token, whatever address it comes from. Past either limit the answer is
429 ``rate_limited`` with ``Retry-After`` (seconds until the window ends), in the API's error format. The limits
are settings (``API_THROTTLE_PER_ADDRESS``, ``API_THROTTLE_PER_TOKEN``: requests per minute), documented in the
OpenAPI description and in docs/api.md. Counting goes through kelisim.core.ratelimit: the address and the token
reach the cache only as HMACs.
"""

from django.conf import settings
from django.http import JsonResponse

from kelisim.core.errors import error_payload
from kelisim.core.ratelimit import Limit, RateLimited, client_address, hit

WINDOW_SECONDS = 60
PREFIX = "/api/"


def limits() -> tuple[Limit, Limit]:
    return (
        Limit("api-address", count=settings.API_THROTTLE_PER_ADDRESS, window_seconds=WINDOW_SECONDS),
        Limit("api-token", count=settings.API_THROTTLE_PER_TOKEN, window_seconds=WINDOW_SECONDS),
    )


def _token(request) -> str:
    scheme, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def throttled_response(retry_after: int) -> JsonResponse:
    response = JsonResponse(
        error_payload(
            "rate_limited", f"Too many requests; try again in {retry_after} seconds (see the Retry-After header)."
        ),
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


class ApiThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PREFIX):
            per_address, per_token = limits()
            try:
                hit(per_address, client_address(request))
                token = _token(request)
                if token:
                    hit(per_token, token)
            except RateLimited as limited:
                return throttled_response(limited.retry_after)
        return self.get_response(request)
