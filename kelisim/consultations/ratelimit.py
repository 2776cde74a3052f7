"""Rate limits for anonymous writes, without keeping anyone's IP address.

The address is turned into an HMAC with the secret key and the current window, and only that hash
lives in the cache, for the length of the window. Nothing is written to the database.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window_seconds: int


ANONYMOUS_SUGGESTIONS = Limit("suggest", 3, 60 * 60)
SIGNED_SUGGESTIONS = Limit("suggest-signed", 20, 24 * 60 * 60)
SUPPORTS_PER_ADDRESS = Limit("support", 60, 60 * 60)


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"Rate limited; retry after {retry_after} s")
        self.retry_after = max(1, int(retry_after))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    start = int(now // limit.window_seconds) * limit.window_seconds
    return start, start + limit.window_seconds


def _key(limit: Limit, identity: str, window_start: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{limit.scope}|{window_start}|{identity}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"consultations:rl:{limit.scope}:{digest}"


def hit(limit: Limit, identity: str) -> None:
    """Count one action for ``identity`` (an address or an account ID); raise RateLimited past the limit."""
    now = time.time()
    window_start, window_end = _window(limit, now)
    key = _key(limit, identity, window_start)
    timeout = window_end - int(now) + 1
    cache.add(key, 0, timeout)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        used = 1
    if used > limit.count:
        raise RateLimited(window_end - now)


def check(limit: Limit, identity: str) -> None:
    """Raise RateLimited if ``identity`` has no action left, without counting one."""
    now = time.time()
    window_start, window_end = _window(limit, now)
    if (cache.get(_key(limit, identity, window_start)) or 0) >= limit.count:
        raise RateLimited(window_end - now)
