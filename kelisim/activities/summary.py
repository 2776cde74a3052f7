"""The summary tables dashboards read: kept current one report at a time, or rebuilt from scratch.

``apply(report, sign)`` adds (+1) or removes (-1) one verified report's contribution in the caller's
transaction; ``rebuild()`` recomputes every table with GROUP BY queries over the verified reports. A test
proves that both give the same rows.
"""

from collections import defaultdict

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    MEASURES,
    ActivityReport,
    ActivitySummary,
    AudienceSummary,
    PlanItemSummary,
    ReportStatus,
    audience_codes,
)

REPORT_MEASURES = ("participants", "youth_14_29", "online_views", "online_posts", "online_shares", *ATTENDANCE_FIELDS)


def _measures(report: ActivityReport) -> dict[str, int]:
    values = {name: getattr(report, name) for name in REPORT_MEASURES}
    values["events"] = 1
    values["inmates"] = report.participants if report.reaches_inmates else 0
    return values


def contributions(report: ActivityReport) -> list[tuple[type, dict, dict]]:
    """(summary model, key, measures) for every summary row this report counts in."""
    year, month = report.start_date.year, report.start_date.month
    measures = _measures(report)
    common = {"year": year, "month": month, "region_id": report.region_id, "strand_id": report.strand_id}
    rows = [
        (
            ActivitySummary,
            {**common, "organisation_id": report.organisation_id, "activity_type": report.activity_type},
            measures,
        )
    ]
    for audience in audience_codes(report.audiences):
        rows.append(
            (
                AudienceSummary,
                {**common, "organisation_id": report.organisation_id, "audience": audience},
                {"events": 1, "participants": report.participants},
            )
        )
    if report.plan_item_id:
        rows.append(
            (
                PlanItemSummary,
                {"plan_item_id": report.plan_item_id, "year": year, "region_id": report.region_id},
                measures,
            )
        )
    return rows


VERSION_KEY = "activities:summary-version"


def version() -> int:
    """Changes whenever the summaries do; part of the dashboards' cache keys."""
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def _changed() -> None:
    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)

    transaction.on_commit(bump)


def apply(report: ActivityReport, sign: int) -> None:
    """Add (sign=+1) or take away (sign=-1) the report's counts. Runs inside the caller's transaction."""
    _changed()
    for model, key, measures in contributions(report):
        increments = {name: F(name) + sign * value for name, value in measures.items()}
        if model.objects.filter(**key).update(**increments):
            if sign < 0:
                model.objects.filter(**key, events__lte=0).delete()
            continue
        if sign < 0:
            continue  # nothing to take away (the row was rebuilt without this report)
        try:
            with transaction.atomic():
                model.objects.create(**key, **measures)
        except IntegrityError:  # created meanwhile by a concurrent verification: add to it
            model.objects.filter(**key).update(**increments)


def _aggregates() -> dict:
    inmates = Sum(
        Case(When(audiences__contains="inmates", then=F("participants")), default=Value(0), output_field=IntegerField())
    )
    # Prefixed names: an aggregate may not shadow the column ("participants") that another one reads.
    aggregates = {f"sum_{name}": Sum(name) for name in REPORT_MEASURES}
    aggregates.update(sum_events=Count("pk"), sum_inmates=inmates)
    return aggregates


def _unprefix(row: dict) -> dict:
    return {key.removeprefix("sum_"): (value or 0) if key.startswith("sum_") else value for key, value in row.items()}


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recompute every summary table from the verified reports; returns the number of rows per table."""
    verified = ActivityReport.objects.filter(status=ReportStatus.VERIFIED).annotate(
        year=ExtractYear("start_date"), month=ExtractMonth("start_date")
    )
    _changed()
    ActivitySummary.objects.all().delete()
    AudienceSummary.objects.all().delete()
    PlanItemSummary.objects.all().delete()

    grouped = verified.values("year", "month", "region_id", "strand_id", "organisation_id", "activity_type")
    ActivitySummary.objects.bulk_create(
        (ActivitySummary(**_unprefix(row)) for row in grouped.annotate(**_aggregates()).order_by()), batch_size=2000
    )

    audience_rows: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    by_audience_set = verified.exclude(audiences="").values(
        "year", "month", "region_id", "strand_id", "organisation_id", "audiences"
    )
    for row in by_audience_set.annotate(events=Count("pk"), people=Sum("participants")).order_by():
        for audience in audience_codes(row["audiences"]):
            key = (row["year"], row["month"], row["region_id"], row["strand_id"], row["organisation_id"], audience)
            audience_rows[key][0] += row["events"]
            audience_rows[key][1] += row["people"]
    AudienceSummary.objects.bulk_create(
        (
            AudienceSummary(**dict(zip(AudienceSummary.KEY, key, strict=True)), events=events, participants=people)
            for key, (events, people) in audience_rows.items()
        ),
        batch_size=2000,
    )

    by_item = verified.filter(plan_item__isnull=False).values("plan_item_id", "year", "region_id")
    PlanItemSummary.objects.bulk_create(
        (PlanItemSummary(**_unprefix(row)) for row in by_item.annotate(**_aggregates()).order_by()), batch_size=2000
    )
    # Plan items whose progress follows their indicators read these tables: recompute them from the rebuilt rows.
    from kelisim.activities import progress

    progress.refresh(None)
    return {
        "activity": ActivitySummary.objects.count(),
        "audience": AudienceSummary.objects.count(),
        "plan_item": PlanItemSummary.objects.count(),
    }


def snapshot() -> dict[str, set[tuple]]:
    """Every summary row as a comparable tuple (for the rebuild-equals-incremental test and checks)."""
    tables = {
        "activity": (ActivitySummary, ActivitySummary.KEY + MEASURES),
        "audience": (AudienceSummary, AudienceSummary.KEY + AudienceSummary.MEASURES),
        "plan_item": (PlanItemSummary, PlanItemSummary.KEY + MEASURES),
    }
    return {
        name: set(model.objects.filter(~Q(events=0)).values_list(*fields)) for name, (model, fields) in tables.items()
    }
