from kelisim.core.tests.access import ADMINISTRATORS, EVERYONE, NOBODY, OFFICERS, SIGNED_IN, Rule


def extend_world(world):
    from allauth.account.models import EmailAddress

    from kelisim.accounts import signin_limits
    from kelisim.accounts.models import User
    from kelisim.accounts.services import create_api_token

    world.citizen_token = create_api_token(actor=world.users["citizen"], name="world script").token
    # A paused account's one-time sign-in link; its holder is never signed in as an actor (that would spend it).
    paused = User.objects.create_user(email="paused@world.test", password="world-password-123")
    EmailAddress.objects.create(user=paused, email=paused.email, verified=True, primary=True)
    world.signin_link_token = signin_limits.make_link_token(paused)


def _role_change(action: str, person: str, data: dict) -> Rule:
    """An administrator's POST that grants or revokes a role of ``world.users[person]``."""
    return Rule(
        f"accounts:{action}",
        method="POST",
        kwargs=lambda world: {"pk": world.users[person].pk},
        data=lambda world: data,
        allowed=ADMINISTRATORS,
    )


ACCESS_RULES = [
    Rule("accounts:profile", allowed=SIGNED_IN),
    Rule(
        "accounts:profile",
        method="POST",
        data=lambda world: {"display_name": "Renamed", "preferred_language": "en"},
        allowed=SIGNED_IN,
        note="save",
    ),
    Rule("accounts:api_tokens", allowed=SIGNED_IN),
    Rule("accounts:api_tokens", method="POST", data=lambda world: {"name": "new"}, allowed=SIGNED_IN, note="create"),
    Rule(
        "accounts:api_token_revoke",
        method="POST",
        kwargs=lambda world: {"pk": world.citizen_token.pk},
        allowed={"citizen"},
        note="only the owner",
    ),
    # The emailed link is its own key: whoever holds it sees the button, and the POST signs in as its account.
    Rule("accounts:signin_link", kwargs=lambda world: {"token": world.signin_link_token}, allowed=EVERYONE),
    Rule(
        "accounts:signin_link",
        method="POST",
        kwargs=lambda world: {"token": world.signin_link_token},
        allowed=EVERYONE,
        note="signs in",
    ),
    Rule("accounts:signin_link", kwargs=lambda world: {"token": "forged"}, allowed=NOBODY, note="forged"),
    Rule(
        "accounts:signin_link",
        method="POST",
        kwargs=lambda world: {"token": "forged"},
        allowed=NOBODY,
        note="forged, sent",
    ),
    Rule("accounts:data_export", allowed=SIGNED_IN),
    Rule("accounts:account_delete", allowed=SIGNED_IN),
    Rule(
        "accounts:account_delete",
        method="POST",
        data=lambda world: {"password": "world-password-123"},
        allowed=SIGNED_IN,
        note="confirmed with the password (the last administrator sees why not)",
    ),
    Rule("accounts:users", allowed=ADMINISTRATORS),
    Rule("accounts:users", query="q=world", allowed=ADMINISTRATORS, note="search"),
    Rule("accounts:user_roles", kwargs=lambda world: {"pk": world.users["citizen"].pk}, allowed=ADMINISTRATORS),
    _role_change("role_grant", "citizen", {"role": "reviewer", "reason": "access table"}),
    _role_change("role_revoke", "reviewer", {"revoke-role": "reviewer", "revoke-reason": "access table"}),
    Rule("accounts:role_history", allowed=OFFICERS),
]
