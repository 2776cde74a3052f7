"""Telling visitors apart without keeping what identifies them.

- The network address is only ever turned into a short-lived salted hash, used as a cache key for
  rate limits. The salt itself lives in the cache and is replaced every day, so yesterday's hashes
  cannot be recomputed; nothing of the address reaches the database.
- A browser gets a random token in a signed cookie (for one reaction per browser and one report per
  browser). The database keeps only its SHA-256.
"""

import hashlib
import secrets

from django.core.cache import cache

from kelisim.core.ratelimit import client_address

ADDRESS_SALT_KEY = "comments:address-salt"
ADDRESS_SALT_SECONDS = 24 * 60 * 60
BROWSER_COOKIE = "kelisim_browser"
BROWSER_COOKIE_SALT = "kelisim.comments.browser"
BROWSER_COOKIE_AGE = 365 * 24 * 60 * 60


def address_hash(request) -> str:
    salt = cache.get(ADDRESS_SALT_KEY)
    if salt is None:
        cache.add(ADDRESS_SALT_KEY, secrets.token_hex(16), ADDRESS_SALT_SECONDS)
        salt = cache.get(ADDRESS_SALT_KEY)
    return hashlib.sha256(f"{salt}:{client_address(request)}".encode()).hexdigest()[:24]


def browser_token(request) -> str:
    """The browser's token from its signed cookie, or a new one (remember to call ``remember_browser``)."""
    existing = getattr(request, "_kelisim_browser_token", None)
    if existing:
        return existing
    token = request.get_signed_cookie(BROWSER_COOKIE, default="", salt=BROWSER_COOKIE_SALT)
    if not token:
        token = secrets.token_urlsafe(24)
        request._kelisim_browser_token_is_new = True
    request._kelisim_browser_token = token
    return token


def browser_hash(request) -> str:
    return hashlib.sha256(browser_token(request).encode()).hexdigest()


def remember_browser(request, response):
    if getattr(request, "_kelisim_browser_token_is_new", False):
        response.set_signed_cookie(
            BROWSER_COOKIE,
            request._kelisim_browser_token,
            salt=BROWSER_COOKIE_SALT,
            max_age=BROWSER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
