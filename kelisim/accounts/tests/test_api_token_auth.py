"""The API's Bearer authentication honours what the profile page does to tokens."""

import pytest
from django.test import RequestFactory

from kelisim.accounts.services import revoke_api_token
from kelisim.accounts.tests.factories import UserFactory, make_token
from kelisim.api.auth import TokenAuth

pytestmark = pytest.mark.django_db


def _authenticate(raw):
    request = RequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return TokenAuth()(request)


def test_a_new_token_authenticates_as_its_owner_and_records_use():
    owner = UserFactory()
    token, raw = make_token(owner)
    assert _authenticate(raw) == owner
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_no_longer_authenticates():
    owner = UserFactory()
    token, raw = make_token(owner)
    revoke_api_token(actor=owner, token=token)
    assert _authenticate(raw) is None


def test_a_guessed_token_with_a_real_prefix_does_not_authenticate():
    owner = UserFactory()
    _token, raw = make_token(owner)
    assert _authenticate(raw[:-2] + "xx") is None
