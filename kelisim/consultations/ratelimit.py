"""The consultation's rate limits (the mechanism is kelisim.core.ratelimit)."""

from kelisim.core.ratelimit import Limit, RateLimited, check, client_address, hit

ANONYMOUS_SUGGESTIONS = Limit("suggest", 3, 60 * 60)
SIGNED_SUGGESTIONS = Limit("suggest-signed", 20, 24 * 60 * 60)
SUPPORTS_PER_ADDRESS = Limit("support", 60, 60 * 60)

__all__ = [
    "ANONYMOUS_SUGGESTIONS",
    "SIGNED_SUGGESTIONS",
    "SUPPORTS_PER_ADDRESS",
    "Limit",
    "RateLimited",
    "check",
    "client_address",
    "hit",
]
