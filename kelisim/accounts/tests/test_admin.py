import pytest
from django.contrib import admin
from django.urls import reverse

from kelisim.accounts.models import ApiToken, Role, RoleGrant, User
from kelisim.accounts.tests.factories import UserFactory, make_staff, make_token, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    sign_in(client, make_staff(Role.ADMINISTRATOR))
    return client


@pytest.mark.parametrize("model", ["user", "rolegrant", "apitoken"])
def test_admin_lists_open(admin_client, model):
    make_token(make_staff(Role.REVIEWER))
    assert admin_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_role_history_is_not_editable_anywhere_in_admin():
    assert RoleGrant.history.model not in admin.site._registry
    model_admin = admin.site._registry[RoleGrant]
    assert not model_admin.has_delete_permission(None) and not model_admin.has_add_permission(None)


def test_token_page_never_shows_the_hash(admin_client):
    token, _raw = make_token(UserFactory())
    html = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert token.token_prefix in html and token.token_hash not in html


def test_administrator_revokes_tokens_from_admin(admin_client):
    token, _raw = make_token(UserFactory())
    admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_admin_add_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.kz",
            "usable_password": "true",
            "password1": "long-pass-phrase-1",
            "password2": "long-pass-phrase-1",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.kz").exists()


def test_admin_delete_goes_through_the_service_and_keeps_history(admin_client):
    person = make_staff(Role.REVIEWER)
    admin_client.post(reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"})
    assert not User.objects.filter(pk=person.pk).exists()
    assert RoleGrant.history.filter(user_id=person.pk, history_type="-").exists()
    assert not ApiToken.objects.filter(user_id=person.pk).exists()


def test_the_user_page_links_to_role_changes_with_a_reason(admin_client):
    person = make_staff(Role.REVIEWER)
    html = admin_client.get(reverse("admin:accounts_user_change", args=[person.pk])).content.decode()
    assert reverse("accounts:user_roles", args=[person.pk]) in html
