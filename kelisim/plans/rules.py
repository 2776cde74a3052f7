"""Who may see or change what in the action plan: the rules views, selectors and services ask. Pure reads."""

from kelisim.accounts.permissions import is_administrator, is_officer
from kelisim.plans.models import NEXT_KINDS, PlanVersion, TrackedItem


def can_see_version(user, version: PlanVersion) -> bool:
    """Published versions are public; a working copy is for officers."""
    return version.is_published or is_officer(user)


def can_see_item(user, tracked: TrackedItem) -> bool:
    """An item is public once a published version has it; before that only officers see it."""
    return tracked.first_published_in_id is not None or is_officer(user)


def can_record_progress(user, tracked: TrackedItem) -> bool:
    return is_officer(user) and tracked.first_published_in_id is not None


def next_kinds(latest_published: PlanVersion | None) -> frozenset[str]:
    """The kinds of version that may follow the latest published one (drafts until adoption, then revisions)."""
    return NEXT_KINDS[latest_published.kind if latest_published else None]


def can_adopt(user, *, latest_published: PlanVersion | None, working: PlanVersion | None) -> bool:
    """An administrator adopts the plan once, from a published draft, when no version is being edited."""
    return is_administrator(user) and PlanVersion.Kind.ADOPTED in next_kinds(latest_published) and working is None
