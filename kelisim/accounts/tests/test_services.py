import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts import services
from kelisim.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
from kelisim.accounts.tests.factories import UserFactory, make_staff, make_token
from kelisim.core import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_staff(Role.ADMINISTRATOR)


def test_an_administrator_grants_a_role_and_history_says_who_and_why(admin):
    person = UserFactory()
    services.grant_role(actor=admin, user=person, role=Role.OFFICER, reason="joined the programme office")
    assert person.is_officer and person.needs_second_factor
    record = RoleGrant.history.filter(user_id=person.pk).latest()
    assert record.history_type == "+"
    assert record.history_user == admin
    assert record.history_change_reason == "joined the programme office"


def test_granting_a_held_role_again_records_nothing(admin):
    person = UserFactory()
    services.grant_role(actor=admin, user=person, role=Role.REVIEWER, reason="first")
    services.grant_role(actor=admin, user=person, role=Role.REVIEWER, reason="second")
    assert RoleGrant.history.filter(user_id=person.pk).count() == 1


def test_revoking_records_who_and_why(admin):
    person = make_staff(Role.MODERATOR)
    assert services.revoke_role(actor=admin, user=person, role=Role.MODERATOR, reason="left the team")
    assert not person.has_role(Role.MODERATOR)
    record = RoleGrant.history.filter(user_id=person.pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", admin, "left the team")
    assert services.revoke_role(actor=admin, user=person, role=Role.MODERATOR, reason="again") is False


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MODERATOR, Role.REVIEWER])
def test_only_administrators_change_roles(role):
    actor = make_staff(role)
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=actor, user=person, role=Role.REVIEWER, reason="x")
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=actor, user=actor, role=role, reason="x")


def test_administrator_role_makes_a_django_superuser_and_back(admin):
    person = UserFactory()
    services.grant_role(actor=admin, user=person, role=Role.ADMINISTRATOR, reason="second admin")
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff
    services.revoke_role(actor=admin, user=person, role=Role.ADMINISTRATOR, reason="done")
    person.refresh_from_db()
    assert not person.is_superuser and not person.is_staff


def test_the_last_administrator_keeps_the_role(admin):
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=admin, user=admin, role=Role.ADMINISTRATOR, reason="oops")
    assert admin.is_administrator


def test_an_api_token_is_stored_hashed_and_shown_once():
    user = UserFactory()
    created = services.create_api_token(actor=user, name="  dashboard sync ")
    assert created.raw.startswith("kls_")
    token = ApiToken.objects.get()
    assert token.name == "dashboard sync"
    assert token.token_hash == hash_token(created.raw) and created.raw not in token.token_hash
    assert created.raw.startswith(token.token_prefix)
    assert token.expires_at is not None and token.is_active


def test_a_token_needs_a_name_and_the_number_is_capped(monkeypatch):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.create_api_token(actor=user, name="   ")
    monkeypatch.setattr(services, "MAX_ACTIVE_API_TOKENS", 2)
    make_token(user, "one")
    make_token(user, "two")
    with pytest.raises(ValidationError):
        services.create_api_token(actor=user, name="three")


def test_only_the_owner_revokes_a_token():
    owner, other = UserFactory(), UserFactory()
    token, _raw = make_token(owner)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=other, token=token)
    services.revoke_api_token(actor=owner, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active


def test_the_export_holds_the_account_and_every_registered_app_but_no_secret(monkeypatch):
    person = make_staff(Role.REVIEWER, email="export@example.kz", display_name="Export Person")
    EmailAddress.objects.create(user=person, email="second@example.kz", verified=False)
    token, raw = make_token(person, "my script")
    monkeypatch.setattr(registry, "_personal_data_exporters", {"testing": lambda user: {"email": user.email}})
    data = services.export_personal_data(actor=person, user=person)
    assert data["account"]["email"] == "export@example.kz"
    assert data["account"]["display_name"] == "Export Person"
    assert data["roles"][0]["role"] == "reviewer"
    assert data["role_history"][0]["change"] == "granted"
    assert {a["email"] for a in data["email_addresses"]} == {"export@example.kz", "second@example.kz"}
    assert data["api_tokens"][0]["name"] == "my script"
    assert data["api_tokens"][0]["starts_with"] == token.token_prefix
    assert data["testing"] == {"email": "export@example.kz"}
    flat = repr(data)
    assert token.token_hash not in flat and raw not in flat and "password" not in flat


def test_nobody_exports_someone_else():
    with pytest.raises(PermissionDenied):
        services.export_personal_data(actor=UserFactory(), user=UserFactory())


def test_deleting_an_account_calls_every_eraser_and_keeps_role_history(admin, monkeypatch):
    person = UserFactory()
    services.grant_role(actor=admin, user=person, role=Role.REVIEWER, reason="expert panel")
    erased = []
    monkeypatch.setattr(registry, "_account_erasers", {"testing": lambda user: erased.append(user.pk)})
    person_pk = person.pk
    services.delete_account(actor=person, user=person)
    assert erased == [person_pk]
    assert not User.objects.filter(pk=person_pk).exists()
    history = list(RoleGrant.history.filter(user_id=person_pk).order_by("history_id"))
    assert [record.history_type for record in history] == ["+", "-"]
    assert history[0].history_user == admin
    assert history[1].history_user is None and history[1].history_change_reason == "account deleted"


def test_self_deletion_clears_the_person_from_history_they_made(admin):
    second_admin = make_staff(Role.ADMINISTRATOR)
    person = UserFactory()
    services.grant_role(actor=second_admin, user=person, role=Role.REVIEWER, reason="panel")
    services.delete_account(actor=second_admin, user=second_admin)
    record = RoleGrant.history.filter(user_id=person.pk).latest()
    assert record.history_user_id is None
    assert record.history_change_reason == "panel"


def test_the_last_administrator_cannot_be_deleted(admin):
    with pytest.raises(PermissionDenied):
        services.delete_account(actor=admin, user=admin)
    assert User.objects.filter(pk=admin.pk).exists()


def test_nobody_but_an_administrator_deletes_someone_else(admin):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.delete_account(actor=UserFactory(), user=person)
    services.delete_account(actor=admin, user=person)
    assert not User.objects.filter(pk=person.pk).exists()


def test_update_profile_only_for_oneself():
    person = UserFactory()
    services.update_profile(actor=person, user=person, display_name="  Aruzhan ", preferred_language="kk")
    person.refresh_from_db()
    assert (person.display_name, person.preferred_language) == ("Aruzhan", "kk")
    with pytest.raises(PermissionDenied):
        services.update_profile(actor=UserFactory(), user=person, display_name="x", preferred_language="en")
