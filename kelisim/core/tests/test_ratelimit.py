import pytest
from django.test import RequestFactory

from kelisim.core import ratelimit

LIMIT = ratelimit.Limit("test-scope", 2, 60)


def test_the_limit_allows_its_count_then_refuses_with_a_retry_time():
    ratelimit.hit(LIMIT, "203.0.113.5")
    ratelimit.hit(LIMIT, "203.0.113.5")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(LIMIT, "203.0.113.5")
    assert 1 <= refused.value.retry_after <= 60
    ratelimit.hit(LIMIT, "198.51.100.7")  # another visitor is not affected


def test_looking_does_not_count():
    assert not ratelimit.is_exhausted(LIMIT, "a")
    ratelimit.check(LIMIT, "a")
    assert ratelimit.count(LIMIT, "a") is False
    assert ratelimit.count(LIMIT, "a") is False
    assert ratelimit.is_exhausted(LIMIT, "a")


def test_no_address_reaches_the_cache_in_clear():
    from django.core.cache import cache

    ratelimit.hit(LIMIT, "203.0.113.99")
    store = cache._cache
    if hasattr(store, "get_client"):  # Redis (REDIS_URL set)
        keys = [key.decode() for key in store.get_client().keys("*")]
    else:  # the local-memory cache
        keys = list(store.keys())
    assert keys and not any("203.0.113.99" in key for key in keys)


def test_client_address_ignores_forwarding_headers_unless_a_proxy_is_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "203.0.113.8"
