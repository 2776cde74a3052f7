"""Everything Kelisim keeps about a person: gathered for the person on request, erased with the account.

The account's own data (addresses, roles, tokens, second factors) is here; every later app adds its part
through ``core.registry.register_personal_data`` and ``register_account_eraser`` (its own personal_data.py).
"""

from kelisim.accounts.models import ApiToken, RoleGrant
from kelisim.core import registry
from kelisim.core.workflow import record_history


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _account_data(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {"role": grant.role, "granted_at": grant.granted_at.isoformat()}
            for grant in RoleGrant.objects.filter(user=user).order_by("role")
        ],
        "role_history": _role_history(user),
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.token_prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": _iso(token.last_used_at),
                "expires_at": _iso(token.expires_at),
                "revoked_at": _iso(token.revoked_at),
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "second_factors": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def _role_history(user) -> list[dict]:
    """The changes to this person's roles; who made them is someone else's data and stays out."""
    return [
        {
            "role": record.role,
            "change": {"+": "granted", "-": "revoked"}.get(record.history_type, "changed"),
            "at": record.history_date.isoformat(),
            "reason": record.history_change_reason or "",
        }
        for record in RoleGrant.history.filter(user_id=user.pk).order_by("history_date", "history_id")
    ]


def export_personal_data(user) -> dict:
    """The account's data and every app's registered part, for the person themselves (no secrets, no hashes)."""
    data = _account_data(user)
    for key, exporter in registry.personal_data_exporters().items():
        data[key] = exporter(user)
    return data


def erase_personal_data(user, *, actor) -> None:
    """Every app removes or anonymises its data; the role grants go, their history kept.

    Role history stays (the platform must be able to show who held which role), but the revocations are
    recorded without a person when people delete their own account, and earlier entries lose their link
    to the account through the SET_NULL of ``history_user``.
    """
    for eraser in registry.account_erasers().values():
        eraser(user)
    for grant in RoleGrant.objects.filter(user=user):
        record_history(grant, actor=None if actor.pk == user.pk else actor, reason="account deleted")
        grant.delete()
