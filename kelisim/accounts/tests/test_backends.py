import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kelisim.accounts import services
from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in

pytestmark = pytest.mark.django_db


def test_a_signed_in_officers_roles_come_with_their_account_in_one_query(client):
    officer = make_staff(Role.OFFICER)
    services.grant_role(actor=None, user=officer, role=Role.MODERATOR, reason="test")
    sign_in(client, officer)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(reverse("accounts:profile"))  # lists their roles
        assert answer.wsgi_request.user.role_codes == {Role.OFFICER, Role.MODERATOR}
    assert "Programme officer" in answer.content.decode() and "Moderator" in answer.content.decode()
    reading_roles = [query["sql"] for query in queries if "accounts_rolegrant" in query["sql"]]
    assert len(reading_roles) == 1 and reading_roles[0].startswith('SELECT "accounts_user"."id"')


def test_the_signed_in_users_query_is_compiled_once_and_reads_each_account_as_it_is_now(client, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    from kelisim.accounts.selectors import signed_in_user

    officer, citizen = make_staff(Role.OFFICER), UserFactory(display_name="Aliya")
    signed_in_user(officer.pk)  # compiled at most here
    compiled = []
    real_as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda *a, **k: compiled.append(1) or real_as_sql(*a, **k))
    read_officer, read_citizen = signed_in_user(officer.pk), signed_in_user(citizen.pk)
    assert compiled == []
    assert read_officer.pk == officer.pk and read_officer.role_codes == {Role.OFFICER}
    assert read_citizen.display_name == "Aliya" and read_citizen.role_codes == frozenset()
    assert read_citizen.is_active is True and read_citizen.unread_notifications == 0
    assert signed_in_user(10**9) is None and signed_in_user("not a key") is None


def test_a_revoked_role_is_gone_at_the_next_request(client):
    officer = make_staff(Role.OFFICER)
    sign_in(client, officer)
    assert client.get(reverse("consultations:triage")).status_code == 200
    services.revoke_role(actor=None, user=officer, role=Role.OFFICER, reason="moved on")
    assert client.get(reverse("consultations:triage")).status_code in (302, 403)


def test_a_citizen_has_no_role_and_an_inactive_account_is_signed_out(client):
    citizen = UserFactory()
    sign_in(client, citizen)
    assert client.get(reverse("accounts:profile")).wsgi_request.user.role_codes == frozenset()
    citizen.is_active = False
    citizen.save()
    assert not client.get(reverse("accounts:profile")).wsgi_request.user.is_authenticated


def test_the_session_is_read_from_the_shared_cache_and_signing_out_ends_it(client, settings):
    # Every signed-in page reads its session: from the cache the machine's (or the cluster's) processes share,
    # not from its row. Signing out removes both, so the old cookie signs nobody in anywhere.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    sign_in(client, UserFactory())
    client.get(reverse("accounts:profile"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("accounts:profile")).wsgi_request.user.is_authenticated
    assert not [query["sql"] for query in queries if '"django_session"' in query["sql"]]
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not client.get(reverse("accounts:profile")).wsgi_request.user.is_authenticated
