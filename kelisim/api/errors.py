"""The one error format of the whole API::

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from ninja import Schema

from kelisim.core.errors import error_payload

__all__ = ["Error", "ErrorBody", "ErrorDetail", "error_payload"]


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
