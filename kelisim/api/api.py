import functools
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, path, re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kelisim.api import idempotency
from kelisim.api.docs import LocalSwagger, docs_asset
from kelisim.api.errors import error_payload
from kelisim.api.routers import core, experts, me, organisations
from kelisim.core.errors import Refused
from kelisim.core.middleware import is_database_outage, outage_response, too_large_response
from kelisim.core.ratelimit import RateLimited

logger = logging.getLogger(__name__)


def _method_not_allowed_in_error_format(view):
    """Ninja answers a wrong method with a bare text 405; give it the API's one error format."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = JsonResponse(error_payload("method_not_allowed", f"Use {allowed} for this address."), status=405)
            response["Allow"] = allowed
        return response

    return wrapped


ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": idempotency.HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Any unique value (e.g. a UUID). A repeat of this request with the same key within 24 hours "
    "returns the first answer (with `Idempotent-Replayed: true`) and writes nothing; a repeat while the first "
    "is still being processed gets 409; the same key for a different request gets 422.",
}


def add_error_response(operation: dict, status: int, description: str) -> None:
    """Declare an error answer unless the operation already does (ninja keys responses by integer)."""
    responses = operation.setdefault("responses", {})
    if status not in responses and str(status) not in responses:
        responses[status] = {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def document_idempotency(operation: dict) -> None:
    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
    add_error_response(operation, 409, "A request with this Idempotency-Key is still being processed")
    add_error_response(operation, 422, "Invalid input, or an Idempotency-Key reused for another request")


def document_unreadable_body(operation: dict) -> None:
    """Any operation with a body answers 400 when the body cannot be parsed at all (not JSON, say), and 413
    when it is larger than the platform accepts."""
    add_error_response(operation, 400, "The body cannot be read")
    add_error_response(operation, 413, "The body is larger than the platform accepts (payload_too_large)")


RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 1}}
}


def document_throttling(operation: dict) -> None:
    """Every operation can answer 429 (kelisim.api.throttling), with Retry-After."""
    add_error_response(operation, 429, "Too many requests (rate_limited): wait for Retry-After seconds")
    responses = operation["responses"]
    response = responses.get(429) or responses.get("429")
    response.setdefault("headers", {}).update(RETRY_AFTER_HEADER)


def unknown_address(request, unmatched: str = ""):
    return JsonResponse(error_payload("not_found", "There is nothing at this address of the API."), status=404)


unknown_address.csrf_exempt = True


def api_root(request):
    """What a person or tool finds at /api/v1/: where the schema and its documentation are."""
    from django.urls import reverse

    if request.method not in ("GET", "HEAD"):
        response = JsonResponse(error_payload("method_not_allowed", "Use GET for this address."), status=405)
        response["Allow"] = "GET, HEAD"
        return response
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": reverse("api:openapi-json"),
            "docs": reverse("api:openapi-view"),
        }
    )


api_root.csrf_exempt = True


class KelisimAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                if method.upper() in idempotency.WRITE_METHODS:
                    document_idempotency(operation)
                if "requestBody" in operation:
                    document_unreadable_body(operation)
                document_throttling(operation)
        return schema

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    pattern.callback = api_root
                else:
                    pattern.callback = _method_not_allowed_in_error_format(pattern.callback)
        patterns.append(path("docs/assets/<str:name>", docs_asset, name="docs-asset"))
        # Last, so that it only catches what no operation matched (Django would answer with HTML).
        patterns.append(re_path(r"^(?P<unmatched>.*)$", unknown_address))
        return patterns


api = KelisimAPI(
    title="Kelisim API",
    version="1",
    description="Open data and write access for the programme's participants. "
    "Lists are paginated with `page` and `page_size`; every error has the shape "
    '`{"error": {"code", "message", "details"}}`. '
    f"Requests are throttled: at most {settings.API_THROTTLE_PER_ADDRESS} a minute from one network address, "
    f"and {settings.API_THROTTLE_PER_TOKEN} a minute with one token (from any address); past that the answer "
    "is 429 `rate_limited` with a `Retry-After` header (seconds to wait). A body larger than the platform "
    "accepts is answered 413 `payload_too_large`.",
    urls_namespace="api",
    docs=LocalSwagger(),
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    details = [
        {
            "loc": [str(part) for part in error.get("loc", [])],
            "message": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors
    ]
    return api.create_response(request, error_payload("invalid", "The request is not valid.", details), status=422)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return api.create_response(request, error_payload("unauthorized", "A valid API token is required."), status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_payload("not_found", "Not found."), status=404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    message = str(exc) or "You are not allowed to do this."
    return api.create_response(request, error_payload("forbidden", message), status=403)


def validation_details(exc: DjangoValidationError) -> list[dict]:
    """One detail per message; a field's messages are located in the request body."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": [], "message": str(message)} for message in exc.messages]


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    code = getattr(exc, "api_code", "invalid")
    message = "The data is not valid." if code == "invalid" else "The request was refused: see the details."
    return api.create_response(request, error_payload(code, message, validation_details(exc)), status=422)


@api.exception_handler(Refused)
def on_refused(request, exc):
    response = api.create_response(request, error_payload(exc.code, exc.message), status=exc.status)
    if exc.status == 429:
        response["Retry-After"] = str(getattr(exc, "retry_after", 60))
    return response


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    response = api.create_response(
        request, error_payload("rate_limited", "Too many requests; try again later."), status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(RequestDataTooBig)
def on_request_too_big(request, exc):
    """A body without a Content-Length (chunked) that turns out too large (RequestSizeMiddleware sees the rest)."""
    return too_large_response(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        409: "conflict",
        429: "rate_limited",
    }
    return api.create_response(
        request, error_payload(codes.get(exc.status_code, "error"), exc.message), status=exc.status_code
    )


@api.exception_handler(Exception)
def on_unexpected_error(request, exc):
    if is_database_outage(exc):
        return outage_response(request)
    logger.exception("Unexpected API error on %s %s", request.method, request.path)
    return api.create_response(request, error_payload("server_error", "Something went wrong on our side."), status=500)


api.add_router("/", core.router)
api.add_router("/", organisations.router)
api.add_router("/", experts.router)
api.add_router("/", me.router)
api.add_router("/", "kelisim.api.routers.consultations.router")
api.add_router("/", "kelisim.api.routers.publications.router")
api.add_router("/", "kelisim.api.routers.comments.router")
api.add_router("/", "kelisim.api.routers.meetings.router")
api.add_router("/", "kelisim.api.routers.plans.router")
api.add_router("/", "kelisim.api.routers.funding.router")
api.add_router("/", "kelisim.api.routers.activities.router")
