"""Reads: report lists, and dashboard tables computed from the summary tables only."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kelisim.activities import suppression
from kelisim.activities.models import (
    AGE_BANDS,
    ATTENDANCE_FIELDS,
    SEXES,
    ActivityReport,
    ActivitySummary,
    ActivityType,
    Audience,
    AudienceSummary,
    IndicatorRule,
    ManualIndicatorValue,
    PlanItemSummary,
    ReportStatus,
)
from kelisim.core.i18n import localized_fields
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import Membership, Organisation


def reporting_organisations(user) -> QuerySet[Organisation]:
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE).order_by(
        "name_ru", "pk"
    )


def report_queryset() -> QuerySet[ActivityReport]:
    return ActivityReport.objects.select_related("organisation", "region", "strand", "plan_item")


def report_detail(pk: int) -> ActivityReport | None:
    return report_queryset().prefetch_related("lecturers", "partners", "status_changes__actor").filter(pk=pk).first()


def organisation_reports(organisation: Organisation, *, status: str = "") -> QuerySet[ActivityReport]:
    reports = report_queryset().filter(organisation=organisation)
    return reports.filter(status=status) if status else reports


def verification_queue() -> QuerySet[ActivityReport]:
    """The submitted reports, oldest first, with only what the queue's rows show (a report has some ninety columns
    and four relations; the queue's fifty rows show six of them)."""
    return (
        ActivityReport.objects.filter(status=ReportStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
        .select_related("organisation", "region")
        .only(
            "title",
            "start_date",
            "participants",
            "submitted_at",
            "organisation__bin",
            *(f"organisation__{name}" for name in localized_fields("name")),
            *(f"region__{name}" for name in localized_fields("name")),
        )
    )


def verified_event_count() -> int:
    return ActivitySummary.objects.aggregate(total=Sum("events"))["total"] or 0


# --- Dashboards -------------------------------------------------------------------------------------
DIMENSIONS = {
    "region": _("Region"),
    "strand": _("Strand"),
    "period": _("Period"),
    "organisation": _("Organisation"),
    "type": _("Type of activity"),
    "audience": _("Audience"),
}
PERIODS = {"month": _("Month"), "quarter": _("Quarter"), "year": _("Year")}
PEOPLE_MEASURES = ("participants", "youth_14_29", "inmates")


@dataclass
class DashboardFilters:
    year_from: int | None = None
    year_to: int | None = None
    region: Region | None = None
    strand: Strand | None = None
    organisation: Organisation | None = None
    activity_type: str = ""
    by: str = "region"
    period: str = "quarter"

    def apply(self, rows: QuerySet, *, with_type: bool = True) -> QuerySet:
        if self.year_from:
            rows = rows.filter(year__gte=self.year_from)
        if self.year_to:
            rows = rows.filter(year__lte=self.year_to)
        if self.region:
            rows = rows.filter(region=self.region)
        if self.strand:
            rows = rows.filter(strand=self.strand)
        if self.organisation:
            rows = rows.filter(organisation=self.organisation)
        if self.activity_type and with_type:
            rows = rows.filter(activity_type=self.activity_type)
        return rows


@dataclass
class DashboardRow:
    key: object
    label: str
    events: int
    measures: dict[str, suppression.Cell] = field(default_factory=dict)
    code: str = ""
    cells: list[suppression.Cell] = field(default_factory=list)  # in the table's measure order


@dataclass
class DashboardTable:
    dimension: str
    rows: list[DashboardRow]
    total_events: int
    totals: dict[str, suppression.Cell]
    measures: tuple[str, ...]
    suppressed: bool

    @property
    def total_cells(self) -> list[suppression.Cell]:
        return [self.totals[measure] for measure in self.measures]

    @property
    def any_hidden(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row.measures.values()) or any(
            cell.hidden for cell in self.totals.values()
        )


def _period_key(year: int, month: int, period: str):
    if period == "year":
        return (year,)
    if period == "quarter":
        return (year, (month - 1) // 3 + 1)
    return (year, month)


def dashboard_table(filters: DashboardFilters, *, public: bool) -> DashboardTable:
    """One table: a row per value of ``filters.by``, events and people counts, suppressed when public."""
    by = filters.by if filters.by in DIMENSIONS else "region"
    if by == "audience":
        measures: tuple[str, ...] = ("participants",)
        rows = filters.apply(AudienceSummary.objects.all(), with_type=False)
        group = ["audience"]
    else:
        measures = ("participants", "youth_14_29", "inmates", "online_views")
        rows = filters.apply(ActivitySummary.objects.all())
        group = {
            "region": ["region_id"],
            "strand": ["strand_id"],
            "organisation": ["organisation_id"],
            "type": ["activity_type"],
            "period": ["year", "month"],
        }[by]
    aggregated = rows.values(*group).annotate(events_sum=Sum("events"), **{m: Sum(m) for m in measures}).order_by()

    buckets: dict[object, dict[str, int]] = {}
    for row in aggregated:
        key = _period_key(row["year"], row["month"], filters.period) if by == "period" else row[group[0]]
        bucket = buckets.setdefault(key, dict.fromkeys(("events", *measures), 0))
        bucket["events"] += row["events_sum"] or 0
        for measure in measures:
            bucket[measure] += row[measure] or 0

    labels, codes, order = _labels(by, list(buckets), filters.period)
    keys = sorted(buckets, key=lambda key: order.get(key, (1, str(key))))
    table_rows = [
        DashboardRow(key=key, label=labels.get(key, str(key)), code=codes.get(key, ""), events=buckets[key]["events"])
        for key in keys
    ]
    totals: dict[str, suppression.Cell] = {}
    protect = suppression.suppress if public else suppression.plain
    for measure in measures:
        values = [buckets[key][measure] for key in keys]
        if measure in PEOPLE_MEASURES:
            cells, total = protect(values)
        else:
            cells, total = suppression.plain(values)
        for row, cell in zip(table_rows, cells, strict=True):
            row.measures[measure] = cell
        totals[measure] = total
    for row in table_rows:
        row.cells = [row.measures[measure] for measure in measures]
    return DashboardTable(
        dimension=by,
        rows=table_rows,
        total_events=sum(row.events for row in table_rows),
        totals=totals,
        measures=measures,
        suppressed=public,
    )


def period_code(key: tuple, period: str) -> str:
    """A period's stable code: 2017, 2017-Q2 or 2017-05."""
    if period == "year":
        return str(key[0])
    if period == "quarter":
        return f"{key[0]}-Q{key[1]}"
    return f"{key[0]}-{key[1]:02d}"


def _labels(by: str, keys: list, period: str) -> tuple[dict, dict, dict]:
    """Labels, stable codes (region ISO 3166-2 codes, strand codes, BINs, type and audience keys, periods)
    and sort order for the keys of one dimension."""
    if by == "region":
        regions = Region.objects.filter(pk__in=keys)
        return (
            {region.pk: region.name for region in regions},
            {region.pk: region.code for region in regions},
            {region.pk: (0, region.sort_order, region.code) for region in regions},
        )
    if by == "strand":
        strands = Strand.objects.filter(pk__in=keys)
        return (
            {s.pk: s.name for s in strands},
            {s.pk: s.code for s in strands},
            {s.pk: (0, s.sort_order, s.code) for s in strands},
        )
    if by == "organisation":
        organisations = Organisation.objects.filter(pk__in=keys).only("pk", "name_kk", "name_ru", "name_en", "bin")
        labels = {o.pk: str(o) for o in organisations}
        codes = {o.pk: o.bin for o in organisations}
        return labels, codes, {pk: (0, label.lower()) for pk, label in labels.items()}
    if by == "type":
        choices = dict(ActivityType.choices)
        return (
            {k: str(choices.get(k, k)) for k in keys},
            {k: k for k in keys},
            {k: (0, i) for i, k in enumerate(ActivityType.values)},
        )
    if by == "audience":
        choices = dict(Audience.choices)
        return (
            {k: str(choices.get(k, k)) for k in keys},
            {k: k for k in keys},
            {k: (0, i) for i, k in enumerate(Audience.values)},
        )
    labels = {}
    for key in keys:
        if period == "year":
            labels[key] = str(key[0])
        elif period == "quarter":
            labels[key] = _("%(year)s, quarter %(quarter)s") % {"year": key[0], "quarter": key[1]}
        else:
            labels[key] = date(key[0], key[1], 1).strftime("%Y-%m")
    return labels, {key: period_code(key, period) for key in keys}, {key: (0, key) for key in keys}


def sex_age_table(filters: DashboardFilters, *, public: bool) -> dict:
    """Participants by sex × age band as one protected table of eight cells and their total."""
    sums = filters.apply(ActivitySummary.objects.all()).aggregate(**{name: Sum(name) for name in ATTENDANCE_FIELDS})
    values = [sums[name] or 0 for name in ATTENDANCE_FIELDS]
    cells, total = (suppression.suppress if public else suppression.plain)(values)
    bands = len(AGE_BANDS)
    rows = [
        {"label": label, "cells": cells[index * bands : (index + 1) * bands]}
        for index, (_sex, label) in enumerate(SEXES)
    ]
    return {"bands": [label for _code, label in AGE_BANDS], "rows": rows, "total": total}


def available_years() -> list[int]:
    return list(ActivitySummary.objects.order_by("year").values_list("year", flat=True).distinct())


# --- Indicators --------------------------------------------------------------------------------------
@dataclass
class IndicatorValue:
    year: int
    actual: float | None
    target: float | None


def indicator_values(indicator, *, years: list[int] | None = None) -> list[IndicatorValue]:
    """Actual (computed by the declared rule, or the manual values) against the targets, year by year.

    National figures: targets set for a region are compared with that region's actuals by
    ``indicator_values_by_region``; here the per-region targets are added up when no national one exists.
    """
    source = getattr(indicator, "activity_source", None)
    actual_by_year: dict[int, float] = {}
    if source is not None and source.rule == IndicatorRule.MANUAL:
        for row in ManualIndicatorValue.objects.filter(indicator=indicator).values("year").annotate(total=Sum("value")):
            actual_by_year[row["year"]] = float(row["total"])
    elif source is not None:
        rows = (
            PlanItemSummary.objects.filter(plan_item_id=indicator.item.tracked_id)
            .values("year")
            .annotate(total=Sum(source.rule))
            .order_by()
        )
        actual_by_year = {row["year"]: float(row["total"] or 0) for row in rows}
    national_targets: dict[int, float] = {}
    regional_targets: dict[int, float] = {}
    for target in indicator.targets.all():
        bucket = regional_targets if target.region_id else national_targets
        bucket[target.year] = bucket.get(target.year, 0.0) + float(target.value)
    targets = {**regional_targets, **national_targets}
    all_years = sorted(set(years or []) | set(actual_by_year) | set(targets))
    return [IndicatorValue(year, actual_by_year.get(year), targets.get(year)) for year in all_years]


def item_indicators(tracked_item) -> list[dict]:
    """Indicators of a plan item's latest published text with their values (trace and item pages)."""
    from kelisim.plans.models import Indicator

    indicators = (
        Indicator.objects.filter(item__tracked=tracked_item, item__version__published_at__isnull=False)
        .select_related("item", "activity_source")
        .prefetch_related("targets")
        .order_by("-item__version__number", "position")
    )
    seen, result = set(), []
    for indicator in indicators:
        if indicator.item.version_id != indicators[0].item.version_id or indicator.name in seen:
            continue
        seen.add(indicator.name)
        source = getattr(indicator, "activity_source", None)
        result.append(
            {
                "indicator": indicator,
                "rule": source.get_rule_display() if source else "",
                "values": indicator_values(indicator),
            }
        )
    return result


def public_plan_indicators() -> list[tuple[object, list[dict]]]:
    """The items of the plan in force that have indicators, each with ``item_indicators`` (in the plan's order)."""
    from kelisim.plans import selectors as plan_selectors

    plan = plan_selectors.current_plan()
    version = plan_selectors.public_version(plan) if plan else None
    if version is None:
        return []
    items = version.items.select_related("tracked").order_by("objective__position", "position")
    return [(item, rows) for item in items if (rows := item_indicators(item.tracked))]


def trace_step_context(tracked_items: list) -> dict | None:
    """Plan trace pages: verified activities and indicator values of the items shown."""
    ids = [item.pk for item in tracked_items]
    totals = PlanItemSummary.objects.filter(plan_item_id__in=ids).aggregate(
        events=Sum("events"), participants=Sum("participants")
    )
    recent = list(
        report_queryset().filter(plan_item_id__in=ids, status=ReportStatus.VERIFIED).order_by("-start_date", "-pk")[:10]
    )
    indicators = [row for item in tracked_items for row in item_indicators(item)]
    if not recent and not indicators and not totals["events"]:
        return None
    _cells, participants_total = suppression.suppress([totals["participants"] or 0])
    return {
        "events": totals["events"] or 0,
        "participants": participants_total.label,
        "reports": recent,
        "indicators": indicators,
    }


def organisation_panel_context(organisation) -> dict | None:
    """The organisation's public page: its verified record (counts protected like every public table)."""
    rows = (
        ActivitySummary.objects.filter(organisation=organisation)
        .values("year")
        .annotate(events=Sum("events"), participants=Sum("participants"))
        .order_by("-year")
    )
    rows = list(rows)
    if not rows:
        return None
    cells, total = suppression.suppress([row["participants"] or 0 for row in rows])
    recent = list(organisation_reports(organisation, status=ReportStatus.VERIFIED)[:5])
    return {
        "organisation": organisation,
        "years": [
            {"year": row["year"], "events": row["events"], "participants": cell}
            for row, cell in zip(rows, cells, strict=True)
        ],
        "total": total,
        "total_events": sum(row["events"] for row in rows),
        "recent": recent,
    }


def contract_panel_context(contract) -> dict | None:
    """A contract's page: the verified activities reported against its milestones."""
    reports = list(
        report_queryset()
        .filter(milestone__contract=contract, status=ReportStatus.VERIFIED)
        .select_related("milestone")
        .order_by("milestone__due_date", "start_date", "pk")
    )
    if not reports:
        return None
    _cells, total = suppression.suppress([sum(report.participants for report in reports)])
    return {"contract": contract, "reports": reports, "events": len(reports), "participants": total}
