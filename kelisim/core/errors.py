"""Domain exceptions that services raise and every caller understands the same way.

- ``django.core.exceptions.ValidationError``: the input is wrong (a form shows it by its field; the API
  answers 422 ``invalid`` with one detail per field message).
- ``django.core.exceptions.PermissionDenied``: the actor may not do this (403 ``forbidden``).
- ``kelisim.core.ratelimit.RateLimited``: too many attempts (429 ``rate_limited`` with ``Retry-After``).
- ``Refused``: a rule of the domain says no, with a code of its own (``comments_closed``, …) and a status.
- ``Conflict``: the request is valid but clashes with the current state (409 ``conflict``).

Only the API's exception handlers (``kelisim.api.api``) turn these into HTTP answers; routers never build an
error response themselves.
"""

from django.core.exceptions import ValidationError


class Refused(Exception):
    """A write a rule of the domain refuses. ``message`` is for the person; ``code`` is stable for machines."""

    status = 422

    def __init__(self, code: str, message: str, *, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status


class Conflict(Refused):
    status = 409

    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(code, message)


def invalid(errors, *, code: str = "invalid") -> ValidationError:
    """A ValidationError (a message, a list, or field -> messages) that the API reports under ``code``."""
    error = ValidationError(errors)
    error.api_code = code
    return error


def error_payload(code: str, message: str, details: list[dict] | None = None) -> dict:
    """The API's one error body: ``{"error": {"code", "message", "details"}}``."""
    return {"error": {"code": code, "message": str(message), "details": details or []}}
