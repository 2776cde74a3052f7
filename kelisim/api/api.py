from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kelisim.api.errors import error_payload
from kelisim.api.routers import core

api = NinjaAPI(
    title="Kelisim API",
    version="1",
    description="Open data and write access for the programme's participants. "
    "Lists are paginated with `page` and `page_size`; every error has the shape "
    '`{"error": {"code", "message", "details"}}`.',
    urls_namespace="api",
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


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    details = (
        [
            {"loc": [field], "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        if hasattr(exc, "error_dict")
        else [{"message": str(m)} for m in exc.messages]
    )
    return api.create_response(request, error_payload("invalid", "The data is not valid.", details), status=422)


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


api.add_router("/", core.router)
