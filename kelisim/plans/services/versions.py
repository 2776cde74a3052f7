"""The plan and its versions: working copies opened, published and adopted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_administrator, require_officer
from kelisim.core.workflow import record_history, transition
from kelisim.plans.models import (
    ADMINISTRATOR_KINDS,
    NEXT_KINDS,
    ActionPlan,
    IndicatorTarget,
    PlanItem,
    PlanVersion,
    TrackedItem,
)
from kelisim.plans.services.implementation import refresh_indicator_progress


def require_working(version: PlanVersion) -> None:
    # Read from the database: an instance in memory may predate the publication.
    if not PlanVersion.objects.filter(pk=version.pk, state=PlanVersion.State.WORKING).exists():
        raise ValidationError(_("This version is published and can no longer change; start a new version."))


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
def start_version(*, actor, plan: ActionPlan, kind: str, note: str = "", system_note: str = "") -> PlanVersion:
    """Open a working copy of the next version, with every objective and item of the last published one."""
    if kind == PlanVersion.Kind.ADOPTED:
        require_administrator(actor, system=True)
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
        system_note=system_note,
        created_by=actor,
    )
    record_history(version, actor=actor, reason="started")
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
        require_administrator(actor, system=True)
        if adopted_on is None:
            raise ValidationError({"adopted_on": _("Give the date of adoption.")})
        version.adopted_on = adopted_on
    else:
        require_officer(actor, system=True)
    reason = "adopted" if version.kind in ADMINISTRATOR_KINDS else "published"
    transition(version, to=PlanVersion.State.PUBLISHED, actor=actor, reason=reason)
    if not version.items.exists():
        raise ValidationError(_("A version without items cannot be published."))
    renumber(version)
    version.published_at = timezone.now()
    version.published_by = actor
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
    require_administrator(actor, system=True)
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


def working_copy_for_changes(*, actor, plan: ActionPlan) -> PlanVersion:
    """The working copy, opened if there is none: the next draft before adoption, the next revision after."""
    version = working_version(plan)
    if version is not None:
        return version
    base = latest_published(plan)
    kind = PlanVersion.Kind.REVISION if base and base.kind != PlanVersion.Kind.DRAFT else PlanVersion.Kind.DRAFT
    return start_version(actor=actor, plan=plan, kind=kind, system_note=PlanVersion.SystemNote.FROM_DECISIONS)
