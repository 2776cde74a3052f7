"""The staff session policy: a second factor always, and a short idle timeout."""

import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import PASSWORD, UserFactory, current_code, make_staff, sign_in

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MODERATOR, Role.ADMINISTRATOR])
@pytest.mark.parametrize("page", ["core:home", "accounts:profile", "organisations:list"])
def test_staff_without_an_authenticator_is_sent_to_set_one_up_from_any_page(client, role, page):
    staff = make_staff(role, totp=False)
    sign_in(client, staff)
    response = client.get(_url(page))
    assert response.status_code == 302
    assert response["Location"] == _url("mfa_activate_totp")


def _sign_in_and_confirm_password(client, user):
    """allauth asks for the password again before a second factor is added; the policy lets that through."""
    client.post(_url("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(_url("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(_url("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302


def test_confirming_an_email_address_stays_open_before_the_setup(client):
    staff = make_staff(Role.OFFICER, totp=False)
    sign_in(client, staff)
    assert client.get(_url("account_email_verification_sent")).status_code == 200


def test_the_setup_page_itself_opens_for_staff_without_an_authenticator(client):
    staff = make_staff(Role.OFFICER, totp=False)
    _sign_in_and_confirm_password(client, staff)
    response = client.get(_url("mfa_activate_totp"))
    assert response.status_code == 200
    assert b'class="qr"' in response.content


def test_staff_activates_the_authenticator_and_gets_recovery_codes_then_can_work(client):
    from allauth.mfa.models import Authenticator

    staff = make_staff(Role.MODERATOR, totp=False)
    _sign_in_and_confirm_password(client, staff)
    page = client.get(_url("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(_url("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(_url("accounts:profile")).status_code == 200


def test_a_reviewer_and_a_citizen_are_not_forced(client):
    for user in (UserFactory(), make_staff(Role.REVIEWER, totp=False)):
        sign_in(client, user)
        assert client.get(_url("accounts:profile")).status_code == 200


def test_staff_with_an_authenticator_is_asked_for_the_code_at_sign_in(client):
    staff = make_staff(Role.OFFICER)
    response = client.post(_url("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == _url("mfa_authenticate")
    assert not client.get(_url("accounts:profile")).wsgi_request.user.is_authenticated

    wrong = client.post(_url("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(_url("mfa_authenticate"), {"code": current_code(staff.totp_secret)})
    assert response.status_code == 302
    assert client.get(_url("accounts:profile")).wsgi_request.user == staff


def test_a_recovery_code_also_passes_the_second_step(client):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    staff = make_staff(Role.OFFICER)
    codes = RecoveryCodes.activate(staff).generate_codes()
    client.post(_url("account_login"), {"login": staff.email, "password": PASSWORD})
    response = client.post(_url("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(_url("accounts:profile")).wsgi_request.user == staff


def test_a_citizen_with_an_authenticator_is_asked_too_but_is_never_forced(client):
    citizen = UserFactory()
    response = client.post(_url("account_login"), {"login": citizen.email, "password": PASSWORD})
    assert response["Location"] == _url("accounts:profile")


def _profile_after_idle_minutes(client, role, minutes: int):
    """Open the profile as a member of staff last seen ``minutes`` ago."""
    sign_in(client, make_staff(role))
    session = client.session
    session["staff_last_seen"] = int(time.time()) - minutes * 60
    session.save()
    return client.get(_url("accounts:profile"))


def test_staff_idle_for_31_minutes_is_signed_out_with_a_message(client):
    response = _profile_after_idle_minutes(client, Role.ADMINISTRATOR, 31)
    assert response.status_code == 302
    assert response["Location"].startswith(_url("account_login") + "?next=")
    assert any("without activity" in str(m) for m in get_messages(response.wsgi_request))
    assert not client.get(_url("accounts:profile")).wsgi_request.user.is_authenticated


def test_active_staff_stays_signed_in_with_a_short_session(client):
    response = _profile_after_idle_minutes(client, Role.OFFICER, 29)
    assert response.status_code == 200
    assert response.wsgi_request.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS


def test_staff_activity_is_written_to_the_session_at_most_once_a_minute(client):
    sign_in(client, make_staff(Role.OFFICER))
    client.get(_url("accounts:profile"))
    stamped = client.session["staff_last_seen"]
    # A request seconds later changes nothing (no session write); one a minute later moves the stamp.
    assert client.get(_url("accounts:profile")).wsgi_request.session.modified is False
    session = client.session
    session["staff_last_seen"] = stamped - 61
    session.save()
    client.get(_url("accounts:profile"))
    assert client.session["staff_last_seen"] >= stamped


def test_citizens_keep_a_two_week_session(client):
    citizen = UserFactory()
    client.post(_url("account_login"), {"login": citizen.email, "password": PASSWORD})
    response = client.get(_url("accounts:profile"))
    assert response.status_code == 200
    assert response.wsgi_request.session.get_expiry_age() == 14 * 24 * 60 * 60
    assert "staff_last_seen" not in response.wsgi_request.session


def test_staff_cannot_turn_the_second_factor_off(client):
    from allauth.mfa.models import Authenticator

    staff = make_staff(Role.OFFICER)
    sign_in(client, staff)
    response = client.post(_url("mfa_deactivate_totp"))
    assert response.status_code == 302 and response["Location"] == _url("mfa_index")
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_staff_without_an_authenticator_may_still_sign_out(client):
    staff = make_staff(Role.MODERATOR, totp=False)
    sign_in(client, staff)
    response = client.post(_url("account_logout"))
    assert response.status_code == 302 and response["Location"] != _url("mfa_activate_totp")
    assert not client.get(_url("core:home")).wsgi_request.user.is_authenticated
