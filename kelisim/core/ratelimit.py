"""Rate limits for writes (anonymous ones above all), without keeping anyone's address.

A limit counts actions per identity (an account id, or a visitor's network address) in fixed
windows. The identity only ever reaches the cache as an HMAC keyed with the secret key and the
window, so it cannot be read back, and it expires with the window. Nothing reaches the database.

    SUGGESTIONS = Limit("suggest", count=3, window_seconds=3600)
    hit(SUGGESTIONS, client_address(request))       # raises RateLimited past the limit
    if is_exhausted(SUGGESTIONS, identity): ...     # look without counting

Behind a reverse proxy, set TRUSTED_PROXY_COUNT (or TRUSTED_CLIENT_IP_HEADER) so that
``client_address`` reads the visitor's address rather than the proxy's; sign-in rate limits
(allauth) read the same settings.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass

from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window_seconds: int


class RateLimited(Exception):
    def __init__(self, retry_after: float):
        super().__init__(f"Rate limited; retry after {int(retry_after)} s")
        self.retry_after = max(1, int(retry_after))


def client_address(request) -> str:
    """The visitor's network address, through the trusted proxies configured for the deployment."""
    try:
        return get_client_ip(request) or "unknown"
    except Exception:
        return request.META.get("REMOTE_ADDR", "") or "unknown"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    start = int(now // limit.window_seconds) * limit.window_seconds
    return start, start + limit.window_seconds


def _key(limit: Limit, identity: str, window_start: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{limit.scope}|{window_start}|{identity}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"kelisim:rl:{limit.scope}:{digest}"


def count(limit: Limit, identity: str) -> bool:
    """Count one action for ``identity``; True when it goes beyond the limit."""
    return _count(limit, identity)[0]


def _count(limit: Limit, identity: str) -> tuple[bool, float]:
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
    return used > limit.count, window_end - now


def hit(limit: Limit, identity: str) -> None:
    """Count one action for ``identity``; raise RateLimited past the limit."""
    over, retry_after = _count(limit, identity)
    if over:
        raise RateLimited(retry_after)


def is_exhausted(limit: Limit, identity: str) -> bool:
    """True if ``identity`` has no action left in this window (nothing is counted)."""
    window_start, _window_end = _window(limit, time.time())
    return (cache.get(_key(limit, identity, window_start)) or 0) >= limit.count


def check(limit: Limit, identity: str) -> None:
    """Raise RateLimited if ``identity`` has no action left, without counting one."""
    if is_exhausted(limit, identity):
        raise RateLimited(_window(limit, time.time())[1] - time.time())


def once_per_window(limit: Limit, identity: str) -> bool:
    """True the first time it is asked for ``identity`` in the current window of ``limit``, False after (atomic):
    for something that must happen once per window however many attempts there are, such as an alert."""
    now = time.time()
    window_start, window_end = _window(limit, now)
    return cache.add(_key(limit, f"once|{identity}", window_start), 1, window_end - int(now) + 1)
