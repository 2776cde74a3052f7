"""``Idempotency-Key`` for every API write: a client that is not sure its request arrived (a timeout, a lost
connection) sends it again with the same key and gets the first answer, and nothing is written twice.

Keys are kept 24 hours per sender (a hash of the API token, or of the address for anonymous writes). A key
reused for a different request is refused (422); a repeat that arrives while the first is still being
processed gets 409 with ``Retry-After``. Answers of 500 and above are not kept, so a retry after a server
error runs again.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from kelisim.api.models import IdempotentRequest
from kelisim.core.errors import error_payload
from kelisim.core.ratelimit import client_address

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"


def _identity(request) -> str:
    authorization = request.headers.get("Authorization", "")
    sender = f"token:{authorization}" if authorization else f"address:{client_address(request)}"
    return hmac.new(settings.SECRET_KEY.encode(), sender.encode(), hashlib.sha256).hexdigest()


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse(
        error_payload(code, message, [{"loc": ["header", HEADER], "message": message}]), status=status
    )
    if status == 409:
        response["Retry-After"] = "1"
    return response


def _replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type or None)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def _body_hash(request) -> str:
    try:
        return hashlib.sha256(request.body).hexdigest()
    except RequestDataTooBig:  # a large upload: its length and type stand for it
        return hashlib.sha256(f"{request.META.get('CONTENT_LENGTH')}|{request.content_type}".encode()).hexdigest()


def _claim(request, key: str) -> tuple[IdempotentRequest | None, HttpResponse | None]:
    """Our row for this key, or the answer to give instead of processing the request."""
    identity, body_hash = _identity(request), _body_hash(request)
    fresh = timezone.now() - KEEP_FOR
    IdempotentRequest.objects.filter(identity=identity, key=key, created_at__lt=fresh).delete()
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(
                identity=identity, key=key, method=request.method, path=request.path[:500], body_sha256=body_hash
            )
        return record, None
    except IntegrityError:
        earlier = IdempotentRequest.objects.filter(identity=identity, key=key).first()
    if earlier is None:  # expired and removed between the two statements: a fresh request after all
        return _claim(request, key)
    if (earlier.method, earlier.path, earlier.body_sha256) != (request.method, request.path[:500], body_hash):
        return None, _refusal(422, "idempotency_key_reused", "This Idempotency-Key was used for another request.")
    if not earlier.completed:
        return None, _refusal(409, "in_progress", "A request with this Idempotency-Key is still being processed.")
    return None, _replay(earlier)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITE_METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not (1 <= len(key) <= 255) or not key.isascii() or not key.isprintable():
            return _refusal(422, "invalid", "An Idempotency-Key is 1 to 255 printable ASCII characters.")
        record, answer = _claim(request, key)
        if answer is not None:
            return answer
        response = self.get_response(request)
        if response.status_code >= 500 or response.streaming:
            record.delete()
            return response
        record.completed = True
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "")[:100]
        record.location = response.get("Location", "")[:500]
        record.body = response.content
        record.save(update_fields=["completed", "status_code", "content_type", "location", "body"])
        return response


def forget_expired() -> int:
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
