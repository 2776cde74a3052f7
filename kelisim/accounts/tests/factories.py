"""Accounts for tests: verified citizens, staff with a second factor, and a sign-in helper."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from kelisim.accounts.models import ApiToken, Role, User
from kelisim.accounts.services import create_api_token, grant_role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen who signed up and confirmed their email address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.kz")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    preferred_language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=extracted is not False, primary=True)


def give_totp(user: User) -> str:
    """Activate an authenticator app for ``user``; returns its secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str) -> str:
    """The code an authenticator app shows right now for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def make_staff(role: str = Role.OFFICER, *, totp: bool = True, **fields) -> User:
    """A user holding ``role``; with an authenticator so that the second-factor policy lets them through."""
    user = UserFactory(**fields)
    grant_role(actor=None, user=user, role=role, reason="test")
    if totp:
        user.totp_secret = give_totp(user)
    return user


def sign_in(client, user: User) -> None:
    """Sign ``user`` in, skipping the password and authenticator steps (tests of other things)."""
    client.force_login(user, backend="kelisim.accounts.backends.PasswordBackend")


def make_token(user: User, name: str = "script") -> tuple[ApiToken, str]:
    created = create_api_token(actor=user, name=name)
    return created.token, created.raw
