"""Every write on accounts, roles, API tokens and personal data. Views, API, commands and tests call these."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.accounts import personal_data, rules
from kelisim.accounts.models import ApiToken, Role, RoleGrant, User, hash_token
from kelisim.accounts.permissions import is_administrator, require_administrator
from kelisim.core.workflow import record_history

# simple-history keeps the reason in a 100-character column.
REASON_MAX_LENGTH = 100
MAX_ACTIVE_API_TOKENS = 20


def _forget_cached_roles(user: User) -> None:
    user.__dict__.pop("role_codes", None)
    user.__dict__.pop("granted_roles", None)


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
    require_administrator(actor, system=True)
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    grant = RoleGrant.objects.filter(user=user, role=role).first()
    if grant is None:
        grant = RoleGrant(user=user, role=role, granted_by=actor)
        # Recorded explicitly so that who and why are right outside a request too (commands, tasks).
        record_history(grant, actor=actor, reason=_clean_reason(reason, "granted"))
        grant.save()
        if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            user.is_staff = user.is_superuser = True
    _forget_cached_roles(user)
    return grant


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: str, reason: str = "") -> bool:
    """Take a platform role away. The last administrator keeps theirs, so that someone can still manage roles."""
    require_administrator(actor, system=True)
    grant = RoleGrant.objects.select_for_update().filter(user=user, role=role).first()
    if grant is None:
        return False
    if role == Role.ADMINISTRATOR and not rules.other_administrators_exist(user):
        raise PermissionDenied(_("The last administrator cannot lose the administrator role."))
    record_history(grant, actor=actor, reason=_clean_reason(reason, "revoked"))
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
                "name": ngettext(
                    "You already have %(count)d active token. Revoke it first.",
                    "You already have %(count)d active tokens. Revoke one first.",
                    MAX_ACTIVE_API_TOKENS,
                )
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
    """Everything Kelisim keeps about ``user``, for the person themselves (see ``accounts.personal_data``)."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only download your own data."))
    return personal_data.export_personal_data(user)


@transaction.atomic
def delete_account(*, actor: User, user: User) -> None:
    """Erase the account: every app removes or anonymises its data, then the user row goes."""
    if actor.pk != user.pk and not is_administrator(actor):
        raise PermissionDenied(_("You can only delete your own account."))
    if rules.is_last_administrator(user):
        raise PermissionDenied(
            _("You are the last administrator. Make someone else an administrator before deleting this account.")
        )
    personal_data.erase_personal_data(user, actor=actor)
    user.delete()


@transaction.atomic
def revoke_api_tokens_as_administrator(*, actor: User, tokens) -> int:
    """An administrator stops tokens that leaked or belong to someone who left."""
    require_administrator(actor)
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
