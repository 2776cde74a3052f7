"""A working copy's objectives, items and indicators, and roundtable decisions taken into the plan."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.core.services import replace_relations
from kelisim.core.workflow import record_history
from kelisim.meetings import services as meeting_services
from kelisim.meetings.models import AgendaItem, Decision
from kelisim.plans.models import (
    ITEM_FIELDS,
    ActionPlan,
    Indicator,
    IndicatorTarget,
    Objective,
    PlanItem,
    PlanVersion,
    Provenance,
    TrackedItem,
)
from kelisim.plans.services.versions import renumber, require_working, working_copy_for_changes


@transaction.atomic
def save_objective(
    *, actor, version: PlanVersion, strand, objective: Objective | None = None, position=None, **titles
) -> Objective:
    require_officer(actor, system=True)
    require_working(version)
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
    require_working(version)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if objective.version_id != version.pk:
        raise ValidationError({"objective": _("This objective belongs to another version.")})
    if item is None:
        tracked = TrackedItem(plan=version.plan, code=_next_code(version.plan))
        record_history(tracked, actor=actor, reason=reason or "new item")
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
    record_history(item, actor=actor, reason=reason or ("new item" if item.pk is None else "changed"))
    item.save()
    replace_relations(item, partners=partners, regions=regions)
    renumber(version)
    item.refresh_from_db(fields=["number"])
    return item


@transaction.atomic
def remove_item(*, actor, item: PlanItem) -> None:
    require_officer(actor, system=True)
    version = item.version
    require_working(version)
    tracked = item.tracked
    record_history(item, actor=actor, reason="removed from the version")
    item.delete()
    # An item that was never published and is in no version any more leaves no trace.
    if tracked.first_published_in_id is None and not tracked.versions.exists() and not tracked.provenance.exists():
        tracked.delete()
    renumber(version)


@transaction.atomic
def save_indicator(
    *,
    actor,
    item: PlanItem,
    name_kk: str = "",
    name_ru: str = "",
    name_en: str = "",
    unit_kk: str = "",
    unit_ru: str = "",
    unit_en: str = "",
    baseline=None,
    targets=(),
    indicator: Indicator | None = None,
) -> Indicator:
    """``targets`` is a list of (year, region or None, value); it replaces the indicator's targets.

    The name and the unit are each given in one language at least (``name_kk``, ``name_ru``, ``name_en``;
    ``unit_kk``…).
    """
    require_officer(actor, system=True)
    require_working(item.version)
    names = {"name_kk": name_kk.strip(), "name_ru": name_ru.strip(), "name_en": name_en.strip()}
    units = {"unit_kk": unit_kk.strip(), "unit_ru": unit_ru.strip(), "unit_en": unit_en.strip()}
    if not any(names.values()) or not any(units.values()):
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
    for field, value in {**names, **units}.items():
        setattr(indicator, field, value)
    indicator.baseline = baseline
    indicator.save()
    indicator.targets.all().delete()
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(indicator=indicator, year=year, region=region, value=Decimal(value))
            for year, region, value in targets
        ]
    )
    return indicator


@transaction.atomic
def incorporate_suggestion(
    *,
    actor,
    plan: ActionPlan,
    agenda_item: AgendaItem,
    suggestion,
    text_kk: str = "",
    text_ru: str = "",
    text_en: str = "",
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
        item = save_item(actor=actor, version=version, objective=objective, reason="roundtable decision", **new_item)
        tracked = item.tracked
    decision = meeting_services.record_decision(
        actor=actor,
        agenda_item=agenda_item,
        kind=Decision.Kind.INCORPORATE,
        text_kk=text_kk,
        text_ru=text_ru,
        text_en=text_en,
        suggestion=suggestion,
        acceptance=acceptance,
        plan_item_code=tracked.code,
        plan_item_number=item.number,
    )
    Provenance.objects.create(
        tracked=tracked,
        suggestion=suggestion,
        decision=decision,
        version=version,
        created_new_item=new_item is not None,
    )
    return decision
