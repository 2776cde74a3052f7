"""Every write on accounts and roles. Views, API, commands and tests call these."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from kelisim.accounts.models import Role, RoleGrant, User


def _require_administrator(actor: User | None) -> None:
    if actor is not None and not actor.is_administrator:
        raise PermissionDenied(_("Only an administrator can change roles."))


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str, reason: str = "") -> RoleGrant:
    """Give ``user`` a platform role. ``actor=None`` is the system itself (demo loader, migrations)."""
    _require_administrator(actor)
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, defaults={"granted_by": actor})
    if created:
        update_change_reason(grant, reason or "granted")
        if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.__dict__.pop("role_codes", None)
    return grant


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, role: str, reason: str = "") -> bool:
    _require_administrator(actor)
    grant = RoleGrant.objects.filter(user=user, role=role).first()
    if grant is None:
        return False
    grant._change_reason = reason or "revoked"
    grant.delete()
    if role == Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=False, is_superuser=False)
    user.__dict__.pop("role_codes", None)
    return True
