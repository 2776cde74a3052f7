"""The yearly implementation report of one programme year, per strand and region.

Indicators against their targets (people counts under the dashboards' small-cell rule), contracts running that
year and their amounts, verified activities and participants (suppressed as on the public dashboard), and the
plan items by status with their latest progress note of the year. A fixed number of queries plus one per
indicator (a plan has tens).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.activities import selectors as activity_selectors
from kelisim.activities import suppression
from kelisim.activities.models import ActivitySummary, IndicatorRule
from kelisim.core.models import Region, Strand
from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Contract
from kelisim.plans import selectors as plan_selectors
from kelisim.plans.models import ItemStatus, ProgressUpdate

PEOPLE_RULES = {IndicatorRule.PARTICIPANTS, "youth_14_29", "inmates"}


def stamp(year: int) -> str:
    """What the report depends on (the cached PDF is keyed by it)."""
    parts = [
        ActivitySummary.objects.filter(year=year).aggregate(n=Sum("events"), p=Sum("participants")),
        Contract.objects.aggregate(last=Max("updated_at")),
        ProgressUpdate.objects.aggregate(last=Max("pk")),
        plan_selectors.current_plan() and plan_selectors.current_plan().versions.aggregate(last=Max("published_at")),
    ]
    return repr(parts)


def _people(value: float | None, rule: str) -> str:
    if value is None:
        return "—"
    if rule in PEOPLE_RULES and 1 <= value <= suppression.SMALL_MAX:
        return suppression.HIDDEN_LABEL
    return f"{value:g}"


def _indicators(year: int) -> list[dict]:
    rows = []
    for item, indicators in activity_selectors.public_plan_indicators():
        for row in indicators:
            indicator = row["indicator"]
            source = getattr(indicator, "activity_source", None)
            rule = source.rule if source else ""
            value = next((v for v in row["values"] if v.year == year), None)
            rows.append(
                {
                    "item": item.tracked.code,
                    "strand": item.objective.strand.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "target": _people(value.target, "") if value else "—",
                    "actual": _people(value.actual, rule) if value else "—",
                }
            )
    return rows


def _contracts(year: int) -> tuple[list[dict], Decimal]:
    contracts = (
        Contract.objects.filter(
            status__in=PUBLIC_CONTRACT_STATUSES, period_start__year__lte=year, period_end__year__gte=year
        )
        .select_related("application__organisation__region", "application__call")
        .prefetch_related("application__call__strands")
        .order_by("number")
    )
    rows = [
        {
            "number": contract.number,
            "organisation": str(contract.application.organisation),
            "bin": contract.application.organisation.bin,
            "region": contract.application.organisation.region.code,
            "strands": ", ".join(s.code for s in contract.application.call.strands.all()),
            "amount": contract.amount_kzt,
            "status": str(contract.get_status_display()),
        }
        for contract in contracts
    ]
    return rows, sum((row["amount"] for row in rows), Decimal(0))


def _activities(year: int, dimension: str) -> dict:
    field = {"region": "region_id", "strand": "strand_id"}[dimension]
    sums = (
        ActivitySummary.objects.filter(year=year)
        .values(field)
        .annotate(events=Sum("events"), participants=Sum("participants"))
        .order_by()
    )
    sums = {row[field]: row for row in sums}
    model = Region if dimension == "region" else Strand
    things = [thing for thing in model.objects.order_by("sort_order", "code") if thing.pk in sums]
    cells, total = suppression.suppress([sums[thing.pk]["participants"] or 0 for thing in things])
    rows = [
        {"code": thing.code, "label": thing.name, "events": sums[thing.pk]["events"] or 0, "participants": cell.label}
        for thing, cell in zip(things, cells, strict=True)
    ]
    return {"rows": rows, "events": sum(row["events"] for row in rows), "participants": total.label}


def _plan_items(year: int) -> tuple[list[dict], list[dict]]:
    plan = plan_selectors.current_plan()
    version = plan_selectors.public_version(plan) if plan else None
    if version is None:
        return [], []
    items = list(plan_selectors.version_items(version))
    notes: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(
        tracked_id__in=[item.tracked_id for item in items], created_at__year=year
    ).order_by("created_at", "pk"):
        notes[update.tracked_id] = update
    labels = {code: str(label) for code, label in ItemStatus.choices}
    counts: dict[str, int] = defaultdict(int)
    rows = []
    for item in items:
        counts[item.tracked.status] += 1
        note = notes.get(item.tracked_id)
        rows.append(
            {
                "code": item.tracked.code,
                "strand": item.objective.strand.code,
                "text": item.text,
                "status": labels[item.tracked.status],
                "progress": item.tracked.progress,
                "note": note.note if note else "",
            }
        )
    by_status = [{"code": code, "label": labels[code], "count": counts[code]} for code in ItemStatus.values]
    return by_status, rows


def report(year: int) -> dict:
    contracts, amount = _contracts(year)
    by_status, items = _plan_items(year)
    by_region, by_strand = _activities(year, "region"), _activities(year, "strand")
    return {
        "tables": [
            {"caption": _("By region"), "heading": _("Region"), "data": by_region},
            {"caption": _("By strand"), "heading": _("Strand"), "data": by_strand},
        ],
        "year": year,
        "indicators": _indicators(year),
        "contracts": contracts,
        "contract_amount": amount,
        "by_region": by_region,
        "by_strand": by_strand,
        "items_by_status": by_status,
        "items": items,
        "generated_at": timezone.now(),
    }


def workbook(data: dict) -> bytes:
    """The report as an XLSX workbook, one sheet per table, codes next to labels."""
    import io

    from openpyxl import Workbook

    from kelisim.core.exports import spreadsheet_safe

    book = Workbook()
    sheets = [
        (
            "indicators",
            ["item", "strand", "indicator", "unit", "target", "actual"],
            [[r["item"], r["strand"], r["name"], r["unit"], r["target"], r["actual"]] for r in data["indicators"]],
        ),
        (
            "contracts",
            ["number", "organisation_bin", "organisation", "region", "strands", "amount_kzt", "status"],
            [
                [r["number"], r["bin"], r["organisation"], r["region"], r["strands"], int(r["amount"]), r["status"]]
                for r in data["contracts"]
            ],
        ),
        (
            "activities_by_region",
            ["region_code", "region", "events", "participants"],
            [[r["code"], r["label"], r["events"], r["participants"]] for r in data["by_region"]["rows"]],
        ),
        (
            "activities_by_strand",
            ["strand_code", "strand", "events", "participants"],
            [[r["code"], r["label"], r["events"], r["participants"]] for r in data["by_strand"]["rows"]],
        ),
        (
            "plan_items",
            ["item", "strand", "text", "status", "progress", "note"],
            [[r["code"], r["strand"], r["text"], r["status"], r["progress"], r["note"]] for r in data["items"]],
        ),
    ]
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(["year", *header])
        for row in rows:
            sheet.append([data["year"], *(spreadsheet_safe(value) for value in row)])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
