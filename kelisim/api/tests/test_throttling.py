"""API throttling per address and per token (kelisim.api.throttling), and the size limit on API bodies."""

import json
import time
from types import SimpleNamespace

import pytest

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.tests.helpers import assert_error, bearer, make_token
from kelisim.api.throttling import WINDOW_SECONDS
from kelisim.core import ratelimit

pytestmark = pytest.mark.django_db

READ = "/api/v1/regions"


@pytest.fixture
def small_limits(settings):
    settings.API_THROTTLE_PER_ADDRESS = 6
    settings.API_THROTTLE_PER_TOKEN = 4
    return settings


def test_reads_from_one_address_are_throttled_with_retry_after(client, small_limits):
    """Issue 18, finding 7: 300 API reads in 21 s were not throttled."""
    for _read in range(6):
        assert client.get(READ, REMOTE_ADDR="203.0.113.5").status_code == 200
    response = client.get(READ, REMOTE_ADDR="203.0.113.5")
    error = assert_error(response, 429, "rate_limited")
    assert "try again" in error["message"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another address has its own allowance.
    assert client.get(READ, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_a_token_is_throttled_whatever_address_it_comes_from(client, small_limits):
    token = make_token(UserFactory())
    for n in range(4):
        assert client.get("/api/v1/me", REMOTE_ADDR=f"203.0.113.{n + 1}", **bearer(token)).status_code == 200
    response = client.get("/api/v1/me", REMOTE_ADDR="203.0.113.99", **bearer(token))
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    # Another token from that same address is not affected.
    other = make_token(UserFactory())
    assert client.get("/api/v1/me", REMOTE_ADDR="203.0.113.99", **bearer(other)).status_code == 200


def test_default_limits_stop_a_burst_of_three_hundred_reads(client, settings, monkeypatch):
    from kelisim.settings import API_THROTTLE_PER_ADDRESS

    settings.API_THROTTLE_PER_ADDRESS = API_THROTTLE_PER_ADDRESS  # the deployment default, not the tests' one
    # The burst is counted in one window: on a busy machine 300 requests took long enough to straddle two windows
    # of a minute, neither of which reached the limit.
    middle_of_a_window = (time.time() // WINDOW_SECONDS) * WINDOW_SECONDS + WINDOW_SECONDS / 2
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: middle_of_a_window))
    statuses = [client.get(READ, REMOTE_ADDR="203.0.113.77").status_code for _read in range(300)]
    assert statuses.count(429) == 300 - API_THROTTLE_PER_ADDRESS
    assert statuses[:API_THROTTLE_PER_ADDRESS] == [200] * API_THROTTLE_PER_ADDRESS


def test_the_limits_are_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "Retry-After" in schema["info"]["description"]
    assert "429" in schema["paths"]["/api/v1/regions"]["get"]["responses"]


def test_an_api_body_over_the_limit_answers_413_in_the_error_format(client, settings):
    """Issue 18, finding 7: an API body over 10 MB answered 500."""
    token = make_token(UserFactory())
    body = json.dumps({"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = client.post("/api/v1/comments/article/1", body, content_type="application/json", **bearer(token))
    error = assert_error(response, 413, "payload_too_large")
    assert "MB" in error["message"]
    assert "Content-Security-Policy" in response
