"""Platform role checks shared by every app's services and views: one rule, one message per role.

The rule for a missing actor is the same for every role: ``actor=None`` is refused unless the service says
``system=True``, which lets the platform itself through (demo loaders, management commands, scheduled
work). An anonymous user is always refused.

Named rules about objects ("may this person edit this application?") live in each app's ``rules.py``;
the whole-view decorators are in ``accounts.decorators``.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_officer(user) -> bool:
    return is_signed_in(user) and user.is_officer


def is_moderator(user) -> bool:
    return is_signed_in(user) and user.is_moderator


def is_administrator(user) -> bool:
    return is_signed_in(user) and user.is_administrator


def is_reviewer(user) -> bool:
    return is_signed_in(user) and user.is_reviewer


def _require(user, has_role, message: str, system: bool) -> None:
    if system and user is None:
        return
    if not has_role(user):
        raise PermissionDenied(message)


def require_signed_in(user, *, system: bool = False) -> None:
    _require(user, is_signed_in, _("Please sign in to do this."), system)


def require_officer(user, *, system: bool = False) -> None:
    """Programme officers (and administrators) only."""
    _require(user, is_officer, _("Only programme officers can do this."), system)


def require_moderator(user, *, system: bool = False) -> None:
    """Moderators (and administrators) only."""
    _require(user, is_moderator, _("Only moderators can do this."), system)


def require_administrator(user, *, system: bool = False) -> None:
    """Administrators only."""
    _require(user, is_administrator, _("Only an administrator can do this."), system)
