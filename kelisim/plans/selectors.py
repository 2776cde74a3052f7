"""Reads of the action plan: versions, the strand tree with progress, comparisons, provenance and traces.

Every page fetches a version's items with a fixed number of queries whatever their count.
"""

import difflib
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kelisim.core import search
from kelisim.core.links import url_for_each
from kelisim.meetings.models import Decision, Roundtable
from kelisim.meetings.registry import ItemRef
from kelisim.plans.models import (
    ITEM_FACTS,
    ActionPlan,
    Indicator,
    ItemStatus,
    PlanItem,
    PlanVersion,
    Provenance,
    TrackedItem,
)
from kelisim.plans.rules import can_see_version


def current_plan() -> ActionPlan | None:
    return ActionPlan.objects.select_related("programme").order_by("pk").first()


def published_versions(plan: ActionPlan):
    return plan.versions.filter(state=PlanVersion.State.PUBLISHED).order_by("-number")


def visible_version(plan: ActionPlan, number: int, user) -> PlanVersion | None:
    version = plan.versions.filter(number=number).first()
    if version is None:
        return None
    return version if can_see_version(user, version) else None


def public_version(plan: ActionPlan) -> PlanVersion | None:
    """The plan in force: the adopted version or its latest revision, else the latest published draft."""
    return published_versions(plan).first()


PLAN_ITEM_SEARCH_FIELDS = ["number", "text_kk", "text_ru", "text_en", "responsible_body", "tracked__code"]


def version_items(
    version: PlanVersion, *, body: str = "", region=None, status: str = "", details: bool = True, q: str = ""
):
    """The version's items in plan order; ``details=False`` leaves out partners, regions and indicators (the plan
    page's compact list shows number, code, text, status and progress only); ``q`` keeps the items whose text,
    number, code or responsible body contains every word (the header's search and the plan page's filter)."""
    items = (
        PlanItem.objects.filter(version=version)
        .select_related("objective__strand", "tracked")
        .order_by("objective__strand__sort_order", "objective__strand__code", "objective__position", "position", "pk")
    )
    if details:
        items = items.prefetch_related(
            "partners",
            "regions",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets__region")),
        )
    if body:
        items = items.filter(responsible_body=body)
    if region is not None:
        items = items.filter(regions=region)
    if status:
        items = items.filter(tracked__status=status)
    if q:
        items = search.contains_every_word(items, PLAN_ITEM_SEARCH_FIELDS, q)
    return items


def responsible_bodies(version: PlanVersion) -> list[str]:
    return list(version.items.order_by("responsible_body").values_list("responsible_body", flat=True).distinct())


@dataclass
class ObjectiveNode:
    objective: object
    items: list = field(default_factory=list)

    @property
    def progress(self) -> int:
        return weighted_progress(self.items)


@dataclass
class StrandNode:
    strand: object
    number: int
    objectives: list = field(default_factory=list)

    @property
    def items(self) -> list:
        return [item for node in self.objectives for item in node.items]

    @property
    def progress(self) -> int:
        return weighted_progress(self.items)

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts = {}
        for item in self.items:
            counts[item.tracked.status] = counts.get(item.tracked.status, 0) + 1
        return [(ItemStatus(code).label, counts[code]) for code in ItemStatus.values if code in counts]


def weighted_progress(items) -> int:
    """Weighted mean of the items' progress; cancelled items no longer count."""
    counted = [item for item in items if item.tracked.status != ItemStatus.CANCELLED]
    total = sum(item.weight for item in counted)
    if not total:
        return 0
    return round(sum(item.weight * item.tracked.progress for item in counted) / total)


def with_labels(items):
    """Give each plan item ``status_label`` and ``url`` (what ``plans/includes/item_row.html`` and the plan's lines
    show), worked out once for the whole list: on a 300-item plan a choice's display and a URL reversal per item
    cost more than the rest of its line."""
    labels = {value: str(label) for value, label in ItemStatus.choices}
    item_url = url_for_each("plans:item")
    for item in items:
        item.status_label = labels.get(item.tracked.status, item.tracked.status)
        item.url = item_url(item.tracked.code)
    return items


def strand_tree(items) -> list[StrandNode]:
    """Items grouped by strand and objective, in their order, each with its labels (``with_labels``)."""
    strands: dict[int, StrandNode] = {}
    objectives: dict[int, ObjectiveNode] = {}
    for item in with_labels(items):
        objective = item.objective
        if objective.strand_id not in strands:
            strands[objective.strand_id] = StrandNode(
                strand=objective.strand, number=int(item.number.split(".")[0] or 0)
            )
        if objective.pk not in objectives:
            objectives[objective.pk] = ObjectiveNode(objective=objective)
            strands[objective.strand_id].objectives.append(objectives[objective.pk])
        objectives[objective.pk].items.append(item)
    return list(strands.values())


# --- Comparison ---------------------------------------------------------------------------------


def word_diff(old: str, new: str) -> str:
    """HTML with removed words in <del> and added ones in <ins>, each word escaped."""
    old_words, new_words = old.split(), new.split()
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old_words[i1:i2])))
            continue
        if tag in ("replace", "delete"):
            parts.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if tag in ("replace", "insert"):
            parts.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))


def _snapshot(item: PlanItem) -> dict:
    return {
        "text": item.text,
        "responsible_body": item.responsible_body,
        "deadline": item.deadline.isoformat() if item.deadline else "",
        "completion_form": item.completion_form,
        "budget_kzt": str(item.budget_kzt) if item.budget_kzt is not None else "",
        "budget_source": item.budget_source,
        "weight": str(item.weight),
        "objective": item.objective.title,
        "number": item.number,
        "partners": ", ".join(sorted(partner.name for partner in item.partners.all())),
        "regions": ", ".join(sorted(region.name for region in item.regions.all())),
        "indicators": "; ".join(
            f"{indicator.name} ({indicator.unit}): "
            + ", ".join(
                f"{t.year}{'/' + t.region.code if t.region else ''}={t.value.normalize()}"
                for t in indicator.targets.all()
            )
            for indicator in item.indicators.all()
        ),
    }


# The facts compared between versions, in the order shown; labels are in includes/field_label.html.
FIELD_LABELS = ("text", *ITEM_FACTS, "objective", "number", "partners", "regions", "indicators")


@dataclass
class ItemChange:
    kind: str  # added, removed, changed
    code: str
    old: PlanItem | None
    new: PlanItem | None
    fields: list = field(default_factory=list)  # (label key, diff html)

    @property
    def item(self) -> PlanItem:
        return self.new or self.old


def compare_versions(old: PlanVersion, new: PlanVersion) -> list[tuple[object, list[ItemChange]]]:
    """Items added, removed and changed between two versions, grouped by strand (in the strands' order)."""
    old_items = {item.tracked.code: item for item in version_items(old)}
    new_items = {item.tracked.code: item for item in version_items(new)}
    changes: list[ItemChange] = []
    for code, item in new_items.items():
        if code not in old_items:
            changes.append(ItemChange("added", code, None, item))
            continue
        before, after = _snapshot(old_items[code]), _snapshot(item)
        differing = [
            (name, word_diff(before[name], after[name])) for name in FIELD_LABELS if before[name] != after[name]
        ]
        if differing:
            changes.append(ItemChange("changed", code, old_items[code], item, differing))
    for code, item in old_items.items():
        if code not in new_items:
            changes.append(ItemChange("removed", code, item, None))
    by_strand: dict[int, tuple[object, list[ItemChange]]] = {}
    for change in sorted(
        changes, key=lambda c: (c.item.objective.strand.sort_order, c.item.objective.strand.code, c.item.number)
    ):
        strand = change.item.objective.strand
        by_strand.setdefault(strand.pk, (strand, []))[1].append(change)
    return list(by_strand.values())


# --- Items, provenance and traces ------------------------------------------------------------------


def tracked_item(code: str) -> TrackedItem | None:
    return TrackedItem.objects.select_related("plan", "first_published_in").filter(code=code).first()


def item_versions(tracked: TrackedItem, *, include_working: bool):
    versions = tracked.versions.select_related("version", "objective__strand").prefetch_related(
        "partners", "regions", Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets__region"))
    )
    if not include_working:
        versions = versions.filter(version__state=PlanVersion.State.PUBLISHED)
    return versions.order_by("-version__number")


def provenance_of(tracked_ids, *, include_unpublished: bool):
    """Links from suggestions and decisions into items; a decision shows once its roundtable is closed."""
    links = Provenance.objects.filter(tracked_id__in=tracked_ids).select_related(
        "suggestion", "decision__roundtable", "decision__agenda_item", "tracked", "version"
    )
    if not include_unpublished:
        links = links.filter(decision__roundtable__status=Roundtable.Status.CLOSED) | links.filter(
            decision__isnull=True
        )
    return links.order_by("created_at", "pk")


def provenance_for_suggestion(suggestion, *, include_unpublished: bool = False):
    links = Provenance.objects.filter(suggestion=suggestion).select_related(
        "tracked", "decision__roundtable", "decision__agenda_item", "version"
    )
    if not include_unpublished:
        links = links.filter(decision__roundtable__status=Roundtable.Status.CLOSED)
    links = list(links.order_by("created_at", "pk"))
    _attach_current_numbers(links)
    return links


def _attach_current_numbers(links) -> None:
    """The number each linked item has in the version in force (or the latest one it is in)."""
    tracked_ids = {link.tracked_id for link in links}
    latest = {}
    for item in (
        PlanItem.objects.filter(tracked_id__in=tracked_ids, version__state=PlanVersion.State.PUBLISHED)
        .select_related("version")
        .order_by("version__number")
    ):
        latest[item.tracked_id] = item
    for link in links:
        link.current_item = latest.get(link.tracked_id)


def describe_item_codes(codes: list[str]) -> dict[str, ItemRef]:
    """For roundtable agendas: each code with its number in the latest published version and a link."""
    found = {}
    items = (
        PlanItem.objects.filter(tracked__code__in=codes, version__state=PlanVersion.State.PUBLISHED)
        .select_related("tracked")
        .order_by("version__number")
    )
    for item in items:
        found[item.tracked.code] = ItemRef(
            code=item.tracked.code, label=f"{item.number} ({item.tracked.code})", url=item.tracked.get_absolute_url()
        )
    for code in codes:
        found.setdefault(code, ItemRef(code=code, label=code, url=reverse("plans:item", args=[code])))
    return found


def suggestion_panel(suggestion) -> dict | None:
    """The "went into the action plan" panel of a suggestion's page (core.registry object panel)."""
    links = provenance_for_suggestion(suggestion)
    if not links:
        return None
    return {"plan_links": links, "suggestion": suggestion}


def decisions_for_suggestion(suggestion, *, include_unpublished: bool = False):
    decisions = Decision.objects.filter(suggestion=suggestion).select_related("roundtable", "agenda_item", "merge_into")
    if not include_unpublished:
        decisions = decisions.filter(roundtable__status=Roundtable.Status.CLOSED)
    return list(decisions.order_by("roundtable__starts_at", "pk"))
