"""Failed sign-ins are limited per (account, address): an attacker cannot lock the owner out."""

import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def _login_url() -> str:
    with translation.override("en"):
        return reverse("account_login")


def _try(client, email, password, address):
    return client.post(_login_url(), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_five_failures_block_that_address_but_not_the_owner_elsewhere(client):
    victim = UserFactory(email="victim@example.kz")
    for _attempt in range(5):
        response = _try(client, victim.email, "wrong-password-1", ATTACKER)
        assert response.status_code == 200
        assert "too many" not in response.content.decode().lower()

    blocked = _try(client, victim.email, PASSWORD, ATTACKER)
    assert blocked.status_code in (200, 429)
    assert not blocked.wsgi_request.user.is_authenticated
    assert "too many" in blocked.content.decode().lower()

    owner = _try(client, victim.email, PASSWORD, OWNER)
    assert owner.status_code == 302
    assert owner.wsgi_request.user == victim


def test_one_address_spraying_many_accounts_is_stopped(client):
    for n in range(20):
        _try(client, f"someone{n}@example.kz", "wrong-password-1", ATTACKER)
    response = _try(client, "another@example.kz", "wrong-password-1", ATTACKER)
    assert "too many" in response.content.decode().lower()
    # Another address is not affected.
    assert "too many" not in _try(client, "another@example.kz", "wrong-password-1", OWNER).content.decode().lower()


def test_too_many_sign_ups_from_one_address_get_a_translated_page(client):
    from kelisim.accounts.tests.factories import PASSWORD

    with translation.override("ru"):
        url = reverse("account_signup")
    for n in range(10):
        client.post(
            url, {"email": f"bulk{n}@example.kz", "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=ATTACKER
        )
    response = client.post(
        url, {"email": "one-more@example.kz", "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="ru">' in html and "Слишком много попыток" in html
