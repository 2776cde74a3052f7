"""Sign-up with a verified email address, through the outbox, in Kelisim's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.models import User
from kelisim.accounts.tests.factories import PASSWORD, UserFactory
from kelisim.core.models import OutboxEmail

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/")


def _url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_sign_up_confirm_by_the_emailed_link_and_end_up_signed_in(client):
    response = client.post(
        _url("account_signup"),
        {"email": "Aizhan@Example.kz", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == _url("account_email_verification_sent")
    user = User.objects.get(email="aizhan@example.kz")
    assert user.preferred_language == "en"  # the language of the page they signed up on
    assert not client.get(_url("accounts:profile")).wsgi_request.user.is_authenticated

    message = OutboxEmail.objects.get(to="aizhan@example.kz")
    assert message.status == OutboxEmail.Status.SENT  # the task ran after commit
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aizhan@example.kz"]
    assert "Kelisim" in message.body_text and "example.com" not in message.body_text
    link = LINK.search(message.body_text).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    confirm_page = client.get(f"/{path}")
    assert confirm_page.status_code == 200
    assert b'class="card auth-form"' in confirm_page.content  # drawn in Kelisim's layout
    response = client.post(f"/{path}")
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    profile = client.get(response["Location"], follow=True)
    assert profile.wsgi_request.user == user
    assert b"aizhan@example.kz" in profile.content


def test_the_verification_email_is_in_the_language_of_the_sign_up_page(client):
    client.post(_url("account_signup", "kk"), {"email": "kk@example.kz", "password1": PASSWORD, "password2": PASSWORD})
    message = OutboxEmail.objects.get(to="kk@example.kz")
    assert message.subject == "[Kelisim] Электрондық пошта мекенжайыңызды растаңыз"
    assert "/kk/accounts/confirm-email/" in message.body_text
    assert User.objects.get(email="kk@example.kz").preferred_language == "kk"


def test_a_rejected_sign_up_keeps_the_email_and_says_why(client):
    response = client.post(
        _url("account_signup"), {"email": "aigul@example.kz", "password1": PASSWORD, "password2": "different-one-x"}
    )
    assert response.status_code == 200
    assert b'value="aigul@example.kz"' in response.content
    assert b'class="error-summary"' in response.content
    assert not User.objects.filter(email="aigul@example.kz").exists()


def test_an_unverified_account_cannot_sign_in_until_it_confirms(client):
    UserFactory(email="late@example.kz", verified_email=False)
    response = client.post(_url("account_login"), {"login": "late@example.kz", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == _url("account_email_verification_sent")
    assert OutboxEmail.objects.filter(to="late@example.kz").count() == 1


@pytest.mark.parametrize(
    ("language", "title"),
    [("kk", "Кіру"), ("ru", "Войти"), ("en", "Sign In")],
)
def test_the_sign_in_page_uses_the_site_layout_in_each_language(client, language, title):
    response = client.get(_url("account_login", language))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert 'href="/static/core/kelisim.css"' in html
    assert re.search(rf"<h1>\s*{title}\s*</h1>", html)
    assert 'class="card auth-form"' in html
    assert '<label for="id_login"' in html  # labelled fields, not placeholders only


@pytest.mark.parametrize("name", ["account_signup", "account_reset_password", "account_login"])
def test_allauth_pages_are_in_kazakh_on_the_kazakh_site(client, name):
    html = client.get(_url(name, "kk")).content.decode()
    # Neither English (no catalogue) nor Russian (Django falls back to LANGUAGE_CODE) may show through.
    for other in ("Sign In", "Sign Up", "Password Reset", "Forgot your password?", "Remember Me", "Password"):
        assert other not in html, other
    for other in ("Войти", "Регистрация", "Пароль", "Забыли", "Запомнить"):
        assert other not in html, other


def test_password_reset_mail_goes_through_the_outbox(client):
    UserFactory(email="forgot@example.kz")
    response = client.post(_url("account_reset_password"), {"email": "forgot@example.kz"})
    assert response.status_code == 302
    message = OutboxEmail.objects.get(to="forgot@example.kz")
    assert "/accounts/password/reset/key/" in message.body_text


def test_signing_in_keeps_the_language_of_the_page_signed_in_on(client):
    """Issue 15: signing in on /en/ led to /ru/… (the profile's language); the interface stays in English."""
    person = UserFactory(preferred_language="kk")
    response = client.post(_url("account_login", "en"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")


def test_signing_in_returns_to_the_page_the_header_link_came_from(client):
    """Issue 15: the header's "Sign in" carries ?next= and sign-in goes back there."""
    person = UserFactory(preferred_language="ru")
    page = _url("organisations:list", "en") + "?region=&sort=name"
    header = client.get(page).content.decode()
    match = re.search(r'href="([^"]*/accounts/login/[^"]*)"', header)
    assert match, "the header has a sign-in link"
    login_url = match.group(1).replace("&amp;", "&")
    assert "next=" in login_url
    response = client.post(login_url, {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == page


def test_a_reset_for_an_unknown_address_says_so_and_names_the_address(client):
    client.post(_url("account_reset_password", "ru"), {"email": "nobody@example.kz"})
    message = OutboxEmail.objects.get(to="nobody@example.kz")
    assert "nobody@example.kz" in message.body_text
    assert "/ru/accounts/signup/" in message.body_text


def test_a_password_reset_reaches_a_kazakh_speaker_in_kazakh_from_a_russian_page(client):
    """Issue 16: an account's email is in its preferred language, subject and link included."""
    UserFactory(email="kz@example.kz", preferred_language="kk")
    client.post(_url("account_reset_password", "ru"), {"email": "kz@example.kz"})
    message = OutboxEmail.objects.get(to="kz@example.kz")
    with translation.override("kk"):
        from django.template.loader import render_to_string

        subject = " ".join(render_to_string("account/email/password_reset_key_subject.txt").split())
    assert message.subject == f"[Kelisim] {subject}" and subject != "Password Reset Email"
    assert "/kk/accounts/password/reset/key/" in message.body_text
    assert message.topic == "account:kk"
