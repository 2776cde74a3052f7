"""Shared test helpers for the API: tokens and a small registry."""

from datetime import timedelta

from django.utils import timezone

from kelisim.accounts.models import ApiToken, hash_token


def make_token(user, *, expires_in: timedelta | None = None, revoked: bool = False) -> str:
    """A personal token for ``user``; returns the raw value a client would send."""
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(
        user=user,
        name="test",
        token_prefix=raw[:8],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
        revoked_at=timezone.now() if revoked else None,
    )
    return raw


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]
