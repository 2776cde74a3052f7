"""Every write of the action plan. Views, the API, the demo and tests call these."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.meetings import services as meeting_services
from kelisim.meetings.models import AgendaItem, Decision
from kelisim.plans import progress as indicator_progress
from kelisim.plans.models import (
    ADMINISTRATOR_KINDS,
    ITEM_STATUS_TRANSITIONS,
    NEXT_KINDS,
    STATE_TRANSITIONS,
    ActionPlan,
    Indicator,
    IndicatorTarget,
    ItemStatus,
    Objective,
    PlanItem,
    PlanVersion,
    ProgressSource,
    ProgressUpdate,
    Provenance,
    TrackedItem,
)

ITEM_FIELDS = (
    "text_kk",
    "text_ru",
    "text_en",
    "responsible_body",
    "deadline",
    "completion_form",
    "budget_kzt",
    "budget_source",
    "weight",
    "position",
)


def require_administrator(actor) -> None:
    if not (actor is None or (getattr(actor, "is_authenticated", False) and actor.is_administrator)):
        raise PermissionDenied(_("Only an administrator can adopt the plan or a revision of it."))


def _require_working(version: PlanVersion) -> None:
    # Read from the database: an instance in memory may predate the publication.
    if not PlanVersion.objects.filter(pk=version.pk, state=PlanVersion.State.WORKING).exists():
        raise ValidationError(_("This version is published and can no longer change; start a new version."))


# --- The plan and its versions --------------------------------------------------------------------


@transaction.atomic
def save_plan(*, actor, programme, slug: str, **titles) -> ActionPlan:
    require_officer(actor, system=True)
    plan, _created = ActionPlan.objects.update_or_create(programme=programme, defaults={"slug": slug, **titles})
    return plan


def latest_published(plan: ActionPlan) -> PlanVersion | None:
    return plan.versions.filter(state=PlanVersion.State.PUBLISHED).order_by("-number").first()


def working_version(plan: ActionPlan) -> PlanVersion | None:
    return plan.versions.filter(state=PlanVersion.State.WORKING).first()


@transaction.atomic
def start_version(*, actor, plan: ActionPlan, kind: str, note: str = "") -> PlanVersion:
    """Open a working copy of the next version, with every objective and item of the last published one."""
    if kind in ADMINISTRATOR_KINDS and kind == PlanVersion.Kind.ADOPTED:
        require_administrator(actor)
    else:
        require_officer(actor, system=True)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if working_version(plan) is not None:
        raise ValidationError(_("A new version is already being edited; publish it first."))
    base = latest_published(plan)
    if kind not in NEXT_KINDS[base.kind if base else None]:
        raise ValidationError(
            _("After “%(after)s” the next version cannot be “%(kind)s”.")
            % {"after": base.label if base else "—", "kind": PlanVersion.Kind(kind).label}
        )
    numbers = plan.versions.aggregate(number=Max("number"))
    kind_numbers = plan.versions.filter(kind=kind).aggregate(number=Max("kind_number"))
    version = PlanVersion(
        plan=plan,
        number=(numbers["number"] or 0) + 1,
        kind=kind,
        kind_number=(kind_numbers["number"] or 0) + 1,
        based_on=base,
        note=note,
        created_by=actor,
    )
    version._change_reason = _("started")
    version._history_user = actor
    version.save()
    if base is not None:
        _copy_contents(base, version)
    return version


def _copy_contents(source: PlanVersion, target: PlanVersion) -> None:
    objective_map = {}
    for objective in source.objectives.all():
        old_pk = objective.pk
        objective.pk, objective.id, objective.version = None, None, target
        objective.save()
        objective_map[old_pk] = objective
    items = list(source.items.prefetch_related("partners", "regions", "indicators__targets"))
    for item in items:
        partners, regions = list(item.partners.all()), list(item.regions.all())
        indicators = list(item.indicators.all())
        # The copy must not answer from the original's prefetched relations: set() would compare
        # against them and add nothing.
        item._prefetched_objects_cache = {}
        item.pk, item.id, item.version = None, None, target
        item.objective = objective_map[item.objective_id]
        item.save()
        item.partners.set(partners)
        item.regions.set(regions)
        for indicator in indicators:
            targets = list(indicator.targets.all())
            indicator.pk, indicator.id, indicator.item = None, None, item
            indicator.save()
            IndicatorTarget.objects.bulk_create(
                [
                    IndicatorTarget(indicator=indicator, year=t.year, region_id=t.region_id, value=t.value)
                    for t in targets
                ]
            )


@transaction.atomic
def publish_version(*, actor, version: PlanVersion, adopted_on=None) -> PlanVersion:
    """Freeze a working copy. Drafts are published by officers; the adopted plan and its revisions only by an
    administrator, with the adoption date."""
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.kind in ADMINISTRATOR_KINDS:
        require_administrator(actor)
        if adopted_on is None:
            raise ValidationError({"adopted_on": _("Give the date of adoption.")})
        version.adopted_on = adopted_on
    else:
        require_officer(actor, system=True)
    if PlanVersion.State.PUBLISHED not in STATE_TRANSITIONS[version.state]:
        raise ValidationError(_("This version is already published."))
    if not version.items.exists():
        raise ValidationError(_("A version without items cannot be published."))
    renumber(version)
    version.state = PlanVersion.State.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version._change_reason = _("adopted") if version.kind in ADMINISTRATOR_KINDS else _("published")
    version._history_user = actor
    version.save()
    TrackedItem.objects.filter(versions__version=version, first_published_in__isnull=True).update(
        first_published_in=version
    )
    # The published text brings its own indicators and targets: items that follow them are recomputed.
    refresh_indicator_progress(tracked_ids=version.items.values_list("tracked_id", flat=True), actor=actor)
    return version


@transaction.atomic
def adopt_plan(*, actor, plan: ActionPlan, adopted_on, note: str = "") -> PlanVersion:
    """The administrator adopts the last published draft as it stands: a new "adopted" version, published."""
    require_administrator(actor)
    version = start_version(actor=actor, plan=plan, kind=PlanVersion.Kind.ADOPTED, note=note)
    return publish_version(actor=actor, version=version, adopted_on=adopted_on)


def renumber(version: PlanVersion) -> None:
    """Give every item its "strand.objective.measure" number, in the order of strands, objectives and items."""
    strand_numbers: dict[int, int] = {}
    objective_numbers: dict[int, tuple[int, int]] = {}
    objective_counts: dict[int, int] = {}
    objectives = version.objectives.select_related("strand").order_by(
        "strand__sort_order", "strand__code", "position", "pk"
    )
    for objective in objectives:
        strand_number = strand_numbers.setdefault(objective.strand_id, len(strand_numbers) + 1)
        objective_counts[objective.strand_id] = objective_counts.get(objective.strand_id, 0) + 1
        objective_numbers[objective.pk] = (strand_number, objective_counts[objective.strand_id])
    counters: dict[int, int] = {}
    items = list(version.items.order_by("objective_id", "position", "pk"))
    for item in items:
        counters[item.objective_id] = counters.get(item.objective_id, 0) + 1
        strand_number, objective_number = objective_numbers[item.objective_id]
        item.number = f"{strand_number}.{objective_number}.{counters[item.objective_id]}"
    PlanItem.objects.bulk_update(items, ["number"])


# --- Objectives, items, indicators (working copy only) -------------------------------------------


@transaction.atomic
def save_objective(
    *, actor, version: PlanVersion, strand, objective: Objective | None = None, position=None, **titles
) -> Objective:
    require_officer(actor, system=True)
    _require_working(version)
    if objective is None:
        count = version.objectives.filter(strand=strand).count()
        objective = Objective(version=version, strand=strand, key=_next_objective_key(version.plan), position=count + 1)
    elif objective.version_id != version.pk:
        raise ValidationError(_("This objective belongs to another version."))
    objective.strand = strand
    if position is not None:
        objective.position = position
    for name, value in titles.items():
        setattr(objective, name, value)
    if not (objective.title_kk or objective.title_ru or objective.title_en):
        raise ValidationError({"title_ru": _("Write the objective in at least one language.")})
    objective.save()
    renumber(version)
    return objective


def _next_objective_key(plan: ActionPlan) -> str:
    return f"OB-{Objective.objects.filter(version__plan=plan).values('key').distinct().count() + 1:03d}"


def _next_code(plan: ActionPlan) -> str:
    ActionPlan.objects.filter(pk=plan.pk).update(last_item_number=F("last_item_number") + 1)
    number = ActionPlan.objects.values_list("last_item_number", flat=True).get(pk=plan.pk)
    return f"AP-{number:04d}"


@transaction.atomic
def save_item(
    *,
    actor,
    version: PlanVersion,
    objective: Objective,
    item: PlanItem | None = None,
    partners=None,
    regions=None,
    reason: str = "",
    **fields,
) -> PlanItem:
    """Add an item to a working copy (it gets a new public ID) or change one. ``fields`` are ITEM_FIELDS."""
    require_officer(actor, system=True)
    _require_working(version)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if objective.version_id != version.pk:
        raise ValidationError({"objective": _("This objective belongs to another version.")})
    if item is None:
        tracked = TrackedItem(plan=version.plan, code=_next_code(version.plan))
        tracked._change_reason = reason or _("new item")
        tracked._history_user = actor
        tracked.save()
        last = version.items.filter(objective=objective).aggregate(position=Max("position"))["position"] or 0
        item = PlanItem(version=version, tracked=tracked, position=last + 1)
    elif item.version_id != version.pk:
        raise ValidationError(_("This item belongs to another version."))
    item.objective = objective
    for name, value in fields.items():
        setattr(item, name, value)
    if not (item.text_kk or item.text_ru or item.text_en):
        raise ValidationError({"text_ru": _("Describe the measure in at least one language.")})
    if not item.responsible_body.strip():
        raise ValidationError({"responsible_body": _("Name the responsible body.")})
    if item.budget_kzt is not None and item.budget_kzt < 0:
        raise ValidationError({"budget_kzt": _("The budget cannot be negative.")})
    if item.weight < 1:
        raise ValidationError({"weight": _("The weight is at least 1.")})
    item._change_reason = reason or (_("new item") if item.pk is None else _("changed"))
    item._history_user = actor
    item.save()
    if partners is not None:
        item.partners.set(partners)
    if regions is not None:
        item.regions.set(regions)
    renumber(version)
    item.refresh_from_db(fields=["number"])
    return item


@transaction.atomic
def remove_item(*, actor, item: PlanItem) -> None:
    require_officer(actor, system=True)
    version = item.version
    _require_working(version)
    tracked = item.tracked
    item._change_reason = _("removed from the version")
    item._history_user = actor
    item.delete()
    # An item that was never published and is in no version any more leaves no trace.
    if tracked.first_published_in_id is None and not tracked.versions.exists() and not tracked.provenance.exists():
        tracked.delete()
    renumber(version)


@transaction.atomic
def save_indicator(
    *, actor, item: PlanItem, name: str, unit: str, baseline=None, targets=(), indicator: Indicator | None = None
) -> Indicator:
    """``targets`` is a list of (year, region or None, value); it replaces the indicator's targets."""
    require_officer(actor, system=True)
    _require_working(item.version)
    if not name.strip() or not unit.strip():
        raise ValidationError({"name": _("An indicator needs a name and a unit.")})
    programme = item.version.plan.programme
    seen = set()
    for year, region, _value in targets:
        if not programme.period_start <= year <= programme.period_end:
            raise ValidationError(
                {
                    "targets": _("Targets are for the programme's years, %(start)d–%(end)d.")
                    % {"start": programme.period_start, "end": programme.period_end}
                }
            )
        key = (year, region.pk if region else None)
        if key in seen:
            raise ValidationError({"targets": _("Each year (and region) has one target.")})
        seen.add(key)
    if indicator is None:
        position = (item.indicators.aggregate(position=Max("position"))["position"] or 0) + 1
        indicator = Indicator(item=item, position=position)
    elif indicator.item_id != item.pk:
        raise ValidationError(_("This indicator belongs to another item."))
    indicator.name, indicator.unit, indicator.baseline = name.strip(), unit.strip(), baseline
    indicator.save()
    indicator.targets.all().delete()
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(indicator=indicator, year=year, region=region, value=Decimal(value))
            for year, region, value in targets
        ]
    )
    return indicator


# --- Roundtable decisions into the plan ------------------------------------------------------------


def working_copy_for_changes(*, actor, plan: ActionPlan) -> PlanVersion:
    """The working copy, opened if there is none: the next draft before adoption, the next revision after."""
    version = working_version(plan)
    if version is not None:
        return version
    base = latest_published(plan)
    kind = PlanVersion.Kind.REVISION if base and base.kind != PlanVersion.Kind.DRAFT else PlanVersion.Kind.DRAFT
    return start_version(actor=actor, plan=plan, kind=kind, note=_("Changes from roundtable decisions"))


@transaction.atomic
def incorporate_suggestion(
    *,
    actor,
    plan: ActionPlan,
    agenda_item: AgendaItem,
    suggestion,
    text: str,
    acceptance: str = Decision.Acceptance.ACCEPTED,
    tracked: TrackedItem | None = None,
    new_item: dict | None = None,
) -> Decision:
    """A roundtable decides to take a suggestion into plan item X: an existing one (``tracked``) or a new one
    (``new_item``: objective, text_*, responsible_body and other ITEM_FIELDS) in the working copy.

    The decision is recorded in the roundtable with the item's code and label; the link itself lives here
    (``Provenance``). The suggestion's status changes when the roundtable is closed.
    """
    require_officer(actor, system=True)
    if (tracked is None) == (new_item is None):
        raise ValidationError({"plan_item": _("Choose an existing item or describe a new one.")})
    version = working_copy_for_changes(actor=actor, plan=plan)
    if tracked is not None:
        if tracked.plan_id != plan.pk:
            raise ValidationError({"plan_item": _("This item belongs to another plan.")})
        item = version.items.filter(tracked=tracked).first()
        if item is None:
            raise ValidationError({"plan_item": _("This item is not in the version being edited.")})
    else:
        new_item = dict(new_item)
        objective = new_item.pop("objective")
        if objective.version_id != version.pk:
            objective = version.objectives.get(key=objective.key)
        item = save_item(actor=actor, version=version, objective=objective, reason=_("roundtable decision"), **new_item)
        tracked = item.tracked
    label = _("item %(number)s (%(code)s)") % {"number": item.number, "code": tracked.code}
    decision = meeting_services.record_decision(
        actor=actor,
        agenda_item=agenda_item,
        kind=Decision.Kind.INCORPORATE,
        text=text,
        suggestion=suggestion,
        acceptance=acceptance,
        plan_item_code=tracked.code,
        plan_item_label=label,
    )
    Provenance.objects.create(
        tracked=tracked,
        suggestion=suggestion,
        decision=decision,
        version=version,
        created_new_item=new_item is not None,
    )
    return decision


# --- Implementation ----------------------------------------------------------------------------------


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
    if status != tracked.status and status not in ITEM_STATUS_TRANSITIONS[tracked.status]:
        raise ValidationError(
            {
                "status": _("An item cannot go from “%(from)s” to “%(to)s”.")
                % {"from": tracked.get_status_display(), "to": status}
            }
        )
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
    tracked.status, tracked.progress, tracked.progress_updated_at = status, progress, update.created_at
    tracked._change_reason = note[:100]
    tracked._history_user = actor
    tracked.save()
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
        tracked._change_reason = "progress follows its indicators"
        if not _apply_computed_progress(tracked, actor=actor, always=True):
            tracked._history_user = actor
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
    tracked._change_reason = "progress entered by hand"
    tracked._history_user = actor
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
    if not getattr(tracked, "_change_reason", ""):
        tracked._change_reason = "computed from indicators"
    tracked._history_user = actor
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
