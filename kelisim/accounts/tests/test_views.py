import json

import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.models import ApiToken, Role, RoleGrant, User
from kelisim.accounts.tests.factories import PASSWORD, UserFactory, make_staff, make_token, sign_in
from kelisim.core import registry

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def citizen(client):
    user = UserFactory(display_name="Dana")
    sign_in(client, user)
    return user


@pytest.fixture
def admin(client):
    user = make_staff(Role.ADMINISTRATOR)
    sign_in(client, user)
    return user


def test_profile_shows_the_account_and_links_to_security_tokens_data_and_deletion(client, citizen):
    html = client.get(_url("accounts:profile")).content.decode()
    assert citizen.email in html and 'value="Dana"' in html
    for name in ("account_change_password", "mfa_index", "accounts:api_tokens", "accounts:data_export"):
        assert f'href="{_url(name)}"' in html
    assert f'href="{_url("accounts:account_delete")}"' in html
    assert _url("accounts:users") not in html  # not an administrator
    assert f'href="{_url("mfa_activate_totp")}"' in html  # no second factor yet: offered, not forced


def test_saving_the_profile_switches_to_the_chosen_language(client, citizen):
    response = client.post(_url("accounts:profile"), {"display_name": "Dana K.", "preferred_language": "kk"})
    assert response.status_code == 302 and response["Location"] == _url("accounts:profile", "kk")
    citizen.refresh_from_db()
    assert (citizen.display_name, citizen.preferred_language) == ("Dana K.", "kk")
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="kk">' in page


def test_a_rejected_profile_keeps_what_was_typed(client, citizen):
    too_long = "Д" * 151
    response = client.post(_url("accounts:profile"), {"display_name": too_long, "preferred_language": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{too_long}"' in html
    assert 'class="error-summary"' in html and 'aria-invalid="true"' in html
    citizen.refresh_from_db()
    assert citizen.display_name == "Dana"


def test_profile_renders_the_sections_registered_by_other_apps(client, citizen, monkeypatch, tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "testing").mkdir(parents=True)
    (template_dir / "testing" / "section.html").write_text("<h2>Followed suggestions: {{ count }}</h2>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [template_dir]}]
    section = registry.ProfileSection(
        key="testing", template_name="testing/section.html", context=lambda request: {"count": 3}
    )
    monkeypatch.setattr(registry, "_profile_sections", {"testing": section})
    html = client.get(_url("accounts:profile")).content.decode()
    assert "<h2>Followed suggestions: 3</h2>" in html


def test_create_a_token_see_it_once_and_revoke_it(client, citizen):
    response = client.post(_url("accounts:api_tokens"), {"name": "Monitoring"})
    assert response.status_code == 200
    raw = response.context["created"].raw
    assert raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get(_url("accounts:api_tokens")).content.decode()
    assert raw not in listing and "Monitoring" in listing
    token = ApiToken.objects.get(user=citizen)
    assert token.token_prefix in listing

    response = client.post(_url("accounts:api_token_revoke", pk=token.pk))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_without_a_name_is_refused(client, citizen):
    response = client.post(_url("accounts:api_tokens"), {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, citizen):
    token, _raw = make_token(UserFactory())
    assert client.post(_url("accounts:api_token_revoke", pk=token.pk)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_download_my_data_is_a_json_attachment(client, citizen):
    make_token(citizen, "exporter")
    response = client.get(_url("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == citizen.email
    assert data["api_tokens"][0]["name"] == "exporter"


def test_deleting_needs_the_right_password(client, citizen):
    response = client.post(_url("accounts:account_delete"), {"password": "not-my-password"})
    assert response.status_code == 200 and "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    response = client.post(_url("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not client.get(_url("core:home")).wsgi_request.user.is_authenticated


def test_guessing_the_password_on_the_delete_page_is_rate_limited(client, citizen):
    for _attempt in range(10):
        client.post(_url("accounts:account_delete"), {"password": "guess-guess-guess"})
    response = client.post(_url("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200 and "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()


def test_the_last_administrator_is_told_why_they_cannot_delete_the_account(client, admin):
    response = client.post(_url("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()


def test_administrator_finds_users_by_email_or_name_page_by_page(client, admin):
    UserFactory(email="aliya@example.kz", display_name="Aliya")
    UserFactory(email="other@example.kz", display_name="Marat Aliyev")
    UserFactory(email="bob@example.kz", display_name="Bob")
    response = client.get(_url("accounts:users"), {"q": "aliy"})
    emails = [user.email for user in response.context["page_obj"].object_list]
    assert emails == ["aliya@example.kz", "other@example.kz"]
    for n in range(30):
        UserFactory(email=f"bulk{n:02d}@example.kz")
    first = client.get(_url("accounts:users"), {"q": "bulk"})
    assert len(first.context["page_obj"].object_list) == 25
    second = client.get(_url("accounts:users"), {"q": "bulk", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_user_list_query_count_does_not_grow_with_users(client, admin, django_assert_max_num_queries):
    for _n in range(5):
        make_staff(Role.REVIEWER)
    with django_assert_max_num_queries(12):
        client.get(_url("accounts:users"))
    for _n in range(10):
        make_staff(Role.REVIEWER)
    with django_assert_max_num_queries(12):
        client.get(_url("accounts:users"))


def test_administrator_grants_and_revokes_with_a_reason_shown_in_history(client, admin):
    person = UserFactory()
    response = client.post(
        _url("accounts:role_grant", pk=person.pk), {"role": "moderator", "reason": "comment moderation"}
    )
    assert response.status_code == 302
    assert person.has_role(Role.MODERATOR)
    response = client.post(
        _url("accounts:role_revoke", pk=person.pk), {"revoke-role": "moderator", "revoke-reason": "rotation"}
    )
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=person).exists()
    html = client.get(_url("accounts:role_history")).content.decode()
    assert "comment moderation" in html and "rotation" in html and admin.email in html


def test_a_grant_without_reason_is_refused_and_keeps_the_choice(client, admin):
    person = UserFactory()
    response = client.post(_url("accounts:role_grant", pk=person.pk), {"role": "officer", "reason": ""})
    assert response.status_code == 400
    assert 'value="officer" selected' in response.content.decode()
    assert not RoleGrant.objects.filter(user=person).exists()


def test_the_last_administrator_cannot_revoke_their_own_role_through_the_page(client, admin):
    response = client.post(
        _url("accounts:role_revoke", pk=admin.pk), {"revoke-role": "administrator", "revoke-reason": "leaving"}
    )
    assert response.status_code == 400
    assert admin.has_role(Role.ADMINISTRATOR)


def test_officers_read_the_role_history_but_cannot_change_roles(client):
    officer = make_staff(Role.OFFICER)
    sign_in(client, officer)
    assert client.get(_url("accounts:role_history")).status_code == 200
    assert client.get(_url("accounts:users")).status_code == 403
    response = client.post(_url("accounts:role_grant", pk=officer.pk), {"role": "administrator", "reason": "me"})
    assert response.status_code == 403
    assert not officer.has_role(Role.ADMINISTRATOR)


def test_role_history_query_count_does_not_grow_with_records(client, django_assert_max_num_queries):
    officer = make_staff(Role.OFFICER)
    sign_in(client, officer)
    for _n in range(3):
        make_staff(Role.REVIEWER)
    with django_assert_max_num_queries(10):
        assert client.get(_url("accounts:role_history")).status_code == 200
    for _n in range(12):
        make_staff(Role.MODERATOR)
    with django_assert_max_num_queries(10):
        assert client.get(_url("accounts:role_history")).status_code == 200
