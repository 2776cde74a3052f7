"""Bearer tokens: GET /api/v1/me answers with the token's owner, and only for a live token."""

from datetime import timedelta

import pytest

from kelisim.accounts.models import ApiToken, Role
from kelisim.accounts.services import grant_role
from kelisim.api.tests.helpers import assert_error, bearer, make_token
from kelisim.organisations.models import Membership
from kelisim.organisations.tests.expert_factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me"


def test_a_valid_token_tells_who_owns_it_with_roles_and_memberships(client):
    user = UserFactory(email="officer@example.kz", display_name="Officer")
    grant_role(actor=None, user=user, role=Role.REVIEWER)
    membership = MembershipFactory(user=user, role=Membership.Role.ADMIN)
    response = client.get(URL, **bearer(make_token(user)))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["display_name"]) == (user.pk, "officer@example.kz", "Officer")
    assert body["roles"] == ["reviewer"]
    assert body["memberships"] == [
        {
            "organisation_id": membership.organisation_id,
            "organisation_bin": membership.organisation.bin,
            "organisation_name": membership.organisation.name,
            "role": "admin",
            "status": "active",
        }
    ]


def test_using_a_token_records_when_it_was_last_used(client):
    user = UserFactory()
    raw = make_token(user)
    client.get(URL, **bearer(raw))
    assert ApiToken.objects.get(user=user).last_used_at is not None


@pytest.mark.parametrize(
    "make_header",
    [
        lambda user: bearer(make_token(user, revoked=True)),
        lambda user: bearer(make_token(user, expires_in=timedelta(seconds=-1))),
        lambda user: bearer("kls_not-a-real-token"),
        lambda user: bearer(make_token(user)[4:]),  # without the prefix
        lambda user: {"HTTP_AUTHORIZATION": f"Token {make_token(user)}"},
        lambda user: {},
    ],
    ids=["revoked", "expired", "unknown", "no-prefix", "wrong-scheme", "missing"],
)
def test_anything_but_a_live_token_is_refused(client, make_header):
    assert_error(client.get(URL, **make_header(UserFactory())), 401, "unauthorized")


def test_a_token_of_a_deactivated_account_is_refused(client):
    user = UserFactory(is_active=False)
    assert_error(client.get(URL, **bearer(make_token(user))), 401, "unauthorized")


def test_a_token_not_yet_expired_works(client):
    user = UserFactory()
    assert client.get(URL, **bearer(make_token(user, expires_in=timedelta(days=1)))).status_code == 200


def test_a_browser_session_is_not_a_token(client):
    client.force_login(UserFactory())
    assert_error(client.get(URL), 401, "unauthorized")
