"""Demo accounts, one per role of the brief. Staff accounts carry a known authenticator secret."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from kelisim.accounts.models import Role, User
from kelisim.accounts.services import grant_role

DEMO_PASSWORD = "kelisim-demo-2017"  # noqa: S105 - published on purpose: these are demo accounts

# email, display name, platform role (None for citizens and NGO people), TOTP secret for staff, what they do
DEMO_ACCOUNTS = [
    (
        "admin@demo.kelisim.kz",
        "Aigerim Administrator",
        Role.ADMINISTRATOR,
        "JBSWY3DPEHPK3PXPADMINAAA",
        "administrator: users, roles, adoption of the plan",
    ),
    (
        "officer@demo.kelisim.kz",
        "Daniyar Officer",
        Role.OFFICER,
        "JBSWY3DPEHPK3PXPOFFICERA",
        "programme officer: verifies NGOs, answers suggestions, runs roundtables",
    ),
    (
        "moderator@demo.kelisim.kz",
        "Madina Moderator",
        Role.MODERATOR,
        "JBSWY3DPEHPK3PXPMODERATE",
        "moderator: comments and suggestions",
    ),
    (
        "reviewer@demo.kelisim.kz",
        "Rustem Reviewer",
        Role.REVIEWER,
        None,
        "independent reviewer of applications",
    ),
    (
        "ngo-admin@demo.kelisim.kz",
        "Yuliya NGO Admin",
        None,
        None,
        "NGO admin of the Association of Centres for the Study of Religions",
    ),
    ("ngo-member@demo.kelisim.kz", "Alinur NGO Member", None, None, "NGO member of KazakhStan for Peace"),
    ("citizen@demo.kelisim.kz", "Fatima Citizen", None, None, "citizen: suggests, comments, follows"),
]


def ensure_user(email: str, display_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=display_name)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(stdout=None) -> str:
    for email, display_name, role, secret, _description in DEMO_ACCOUNTS:
        user = ensure_user(email, display_name)
        if role:
            grant_role(actor=None, user=user, role=role, reason="demo scenario")
        if secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
    return f"{len(DEMO_ACCOUNTS)} demo accounts"


def print_signins(stdout) -> None:
    stdout.write("")
    stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
    for email, _name, _role, secret, description in DEMO_ACCOUNTS:
        stdout.write(f"  {email:<28} {description}")
        if secret:
            stdout.write(
                f"  {'':<28} second factor: authenticator secret {secret}, "
                f"or `.venv/bin/python manage.py demo_code {email}` for the current code"
            )
    stdout.write("")
