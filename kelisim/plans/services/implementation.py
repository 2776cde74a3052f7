"""Implementation: progress updates by officers, and progress computed from the indicators."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.core.workflow import record_history, transition
from kelisim.notifications.services import notify_followers
from kelisim.plans import progress as indicator_progress
from kelisim.plans.models import ItemStatus, ProgressSource, ProgressUpdate, TrackedItem


@transaction.atomic
def record_progress(
    *, actor, tracked: TrackedItem, status: str, note: str, progress: int | None = None, evidence_url: str = ""
) -> ProgressUpdate:
    """An officer's update: status, what was done, evidence and — unless the item follows its indicators —
    the progress in per cent."""
    require_officer(actor, system=True)
    tracked = TrackedItem.objects.select_for_update().get(pk=tracked.pk)
    if tracked.first_published_in_id is None:
        raise ValidationError(_("Progress is recorded on published items only."))
    if status != tracked.status:
        transition(tracked, to=status, actor=actor)
    if tracked.follows_indicators:
        if progress is not None:
            raise ValidationError({"progress": indicator_progress.REFUSAL})
        progress = tracked.progress
    else:
        if progress is None:
            raise ValidationError({"progress": _("Give the progress in per cent.")})
        if not 0 <= progress <= 100:
            raise ValidationError({"progress": _("Progress is between 0 and 100 %.")})
        if status == ItemStatus.COMPLETED:
            progress = 100
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what was done.")})
    update = ProgressUpdate.objects.create(
        tracked=tracked, status=status, progress=progress, note=note, evidence_url=evidence_url, author=actor
    )
    tracked.progress, tracked.progress_updated_at = progress, update.created_at
    record_history(tracked, actor=actor, reason=note)
    tracked.save()
    notify_followers(
        target=tracked,
        kind="plans.progress",
        params={"code": tracked.code, "progress": progress, "status": status},
        url=tracked.get_absolute_url(),
        exclude=[actor] if actor else [],
    )
    return update


@transaction.atomic
def set_progress_source(*, actor, tracked: TrackedItem, source: str) -> TrackedItem:
    """Choose whether the item's progress is entered by hand or follows its indicators (``plans.progress``).

    Switching to the indicators computes the progress at once; either switch is a line in the item's
    implementation timeline and its history."""
    require_officer(actor, system=True)
    tracked = TrackedItem.objects.select_for_update().get(pk=tracked.pk)
    if tracked.first_published_in_id is None:
        raise ValidationError(_("Progress is recorded on published items only."))
    if source not in ProgressSource.values:
        raise ValidationError({"source": _("Choose how the progress is obtained.")})
    if source == tracked.progress_source:
        return tracked
    if source == ProgressSource.INDICATORS and not indicator_progress.can_compute():
        raise ValidationError({"source": _("Indicator values are not available on this installation.")})
    tracked.progress_source = source
    if source == ProgressSource.INDICATORS:
        record_history(tracked, actor=actor, reason="progress follows its indicators")
        if not _apply_computed_progress(tracked, actor=actor, always=True):
            tracked.save()
        return tracked
    ProgressUpdate.objects.create(
        tracked=tracked,
        status=tracked.status,
        progress=tracked.progress,
        note="",
        record={"kind": "switched_to_manual"},
        source=ProgressSource.MANUAL,
        author=actor,
    )
    record_history(tracked, actor=actor, reason="progress entered by hand")
    tracked.save()
    return tracked


def _apply_computed_progress(tracked: TrackedItem, *, actor, always: bool = False) -> bool:
    """Store the computed progress of a locked item if it changed (or ``always``), with a computed update."""
    result = indicator_progress.compute(tracked)
    if result is None or (result.progress == tracked.progress and not always):
        return False
    update = ProgressUpdate.objects.create(
        tracked=tracked,
        status=tracked.status,
        progress=result.progress,
        note="",
        record=result.as_record(),
        source=ProgressSource.INDICATORS,
        author=actor,
    )
    tracked.progress, tracked.progress_updated_at = result.progress, update.created_at
    record_history(tracked, actor=actor, reason=getattr(tracked, "_change_reason", "") or "computed from indicators")
    tracked.save()
    return True


@transaction.atomic
def refresh_indicator_progress(*, tracked_ids=None, actor=None) -> int:
    """Recompute the progress of published items that follow their indicators (all of them, or those in
    ``tracked_ids``); returns how many changed. Cancelled items keep their last figure.

    Called by whatever changes indicator values (activities: a report verified or reopened, a manual value,
    a rule, the summary rebuild), by ``publish_version`` and daily by a periodic task (a new year brings new
    targets). It only derives a figure from recorded facts, so it asks no permission of its own; ``actor``
    is whoever caused the change and signs the update."""
    items = TrackedItem.objects.filter(
        progress_source=ProgressSource.INDICATORS, first_published_in__isnull=False
    ).exclude(status=ItemStatus.CANCELLED)
    if tracked_ids is not None:
        items = items.filter(pk__in=list(tracked_ids))
    if not indicator_progress.can_compute():
        return 0
    changed = 0
    for tracked in items.select_for_update().order_by("pk"):
        changed += _apply_computed_progress(tracked, actor=actor)
    return changed
