"""Every write on accounts, roles, API tokens and personal data. Views, API, commands and tests call these."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
from kelisim.core import registry

# simple-history keeps the reason in a 100-character column.
REASON_MAX_LENGTH = 100
MAX_ACTIVE_API_TOKENS = 20


def _require_administrator(actor: User | None) -> None:
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied(_("Only an administrator can change roles."))


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("role_codes", None)


def _other_administrators_exist(user: User) -> bool:
    return (
        RoleGrant.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True).exclude(user=user).exists()
        or User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    )


def _clean_reason(reason: str, default: str) -> str:
    return (reason or "").strip()[:REASON_MAX_LENGTH] or default


@transaction.atomic
def update_profile(*, actor: User, user: User, display_name: str, preferred_language: str) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["display_name", "preferred_language"])
    return user


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str, reason: str = "") -> RoleGrant:
    """Give ``user`` a platform role. ``actor=None`` is the system itself (demo loader, migrations).

    Granting a role the user already holds changes nothing and records nothing.
    """
    _require_administrator(actor)
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    grant = RoleGrant.objects.filter(user=user, role=role).first()
    if grant is None:
        grant = RoleGrant(user=user, role=role, granted_by=actor)
        # Recorded explicitly so that who and why are right outside a request too (commands, tasks).
        grant._history_user = actor
        grant._change_reason = _clean_reason(reason, "granted")
        grant.save()
        if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            user.is_staff = user.is_superuser = True
    _forget_cached_roles(user)
    return grant


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: str, reason: str = "") -> bool:
    """Take a platform role away. The last administrator keeps theirs, so that someone can still manage roles."""
    _require_administrator(actor)
    grant = RoleGrant.objects.select_for_update().filter(user=user, role=role).first()
    if grant is None:
        return False
    if role == Role.ADMINISTRATOR and not _other_administrators_exist(user):
        raise PermissionDenied(_("The last administrator cannot lose the administrator role."))
    grant._history_user = actor
    grant._change_reason = _clean_reason(reason, "revoked")
    grant.delete()
    if role == Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
        user.is_staff = user.is_superuser = False
    _forget_cached_roles(user)
    return True


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    raw: str  # shown to the user once; never stored


@transaction.atomic
def create_api_token(*, actor: User, name: str) -> CreatedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so that you recognise it later.")})
    active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationError(
            {
                "name": _("You already have %(count)d active tokens. Revoke one first.")
                % {"count": MAX_ACTIVE_API_TOKENS}
            }
        )
    raw = ApiToken.generate_raw()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        token_prefix=raw[:12],
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + settings.TOKEN_TTL,
    )
    return CreatedToken(token=token, raw=raw)


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def export_personal_data(*, actor: User, user: User) -> dict:
    """Everything Kelisim keeps about ``user``, for the person themselves (no secrets, no hashes)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only download your own data."))
    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "roles": [
            {"role": grant.role, "granted_at": grant.granted_at.isoformat()}
            for grant in RoleGrant.objects.filter(user=user).order_by("role")
        ],
        # The changes to this person's roles; who made them is someone else's data and stays out.
        "role_history": [
            {
                "role": record.role,
                "change": {"+": "granted", "-": "revoked"}.get(record.history_type, "changed"),
                "at": record.history_date.isoformat(),
                "reason": record.history_change_reason or "",
            }
            for record in RoleGrant.history.filter(user_id=user.pk).order_by("history_date", "history_id")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.token_prefix,
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "second_factors": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }
    for key, exporter in registry.personal_data_exporters().items():
        data[key] = exporter(user)
    return data


def is_last_administrator(user: User) -> bool:
    return user.is_administrator and not _other_administrators_exist(user)


@transaction.atomic
def delete_account(*, actor: User, user: User) -> None:
    """Erase the account: every app removes or anonymises its data, then the user row goes.

    Role history stays (the platform must be able to show who held which role), but the
    revocations are recorded without a person, and earlier entries lose their link to the
    account through the SET_NULL of ``history_user``.
    """
    if actor.pk != user.pk and not actor.is_administrator:
        raise PermissionDenied(_("You can only delete your own account."))
    if is_last_administrator(user):
        raise PermissionDenied(
            _("You are the last administrator. Make someone else an administrator before deleting this account.")
        )
    for eraser in registry.account_erasers().values():
        eraser(user)
    for grant in RoleGrant.objects.filter(user=user):
        grant._history_user = None if actor.pk == user.pk else actor
        grant._change_reason = "account deleted"
        grant.delete()
    user.delete()


@transaction.atomic
def revoke_api_tokens_as_administrator(*, actor: User, tokens) -> int:
    """An administrator stops tokens that leaked or belong to someone who left."""
    if not actor.is_administrator:
        raise PermissionDenied(_("Only an administrator can revoke other people's tokens."))
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
