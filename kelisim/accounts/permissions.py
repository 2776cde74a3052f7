"""Role checks shared by every app's services and views: one rule, one message."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_officer(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_officer)


def require_officer(user, *, system: bool = False) -> None:
    """Programme officers only. ``system=True`` also lets ``None`` through: the platform acting on its own
    (demo loaders, management commands, scheduled work) where a service allows that."""
    if system and user is None:
        return
    if not is_officer(user):
        raise PermissionDenied(_("Only programme officers can do this."))
