"""The one error format of the whole API::

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from ninja import Schema


class ErrorDetail(Schema):
    loc: list[str | int] = []
    message: str
    type: str = ""


class ErrorBody(Schema):
    code: str
    message: str
    details: list[ErrorDetail] = []


class Error(Schema):
    error: ErrorBody


def error_payload(code: str, message: str, details: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or []}}
