"""Bulk entry: an XLSX template, and an import that checks every row before writing any.

The file is streamed with openpyxl in read-only mode; every row is checked by ``validation.check_cells``, the
rules the report form and the API apply too; errors name the row and the column. If any row is wrong nothing
is written. Otherwise all rows are written in one transaction with bulk_create (reports, their history, their
status changes and their lecturers and partner organisations), as submitted reports waiting for an officer.
The codes each column takes are explained in ``validation`` and on the template's "help" sheet.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    ActivityReport,
    ActivityType,
    Audience,
    ReportImport,
    ReportStatus,
    StatusChange,
    VenueType,
)
from kelisim.activities.validation import REQUIRED_COLUMNS, References, check_cells, milestone_code, text
from kelisim.core import files
from kelisim.core.models import Region, Strand
from kelisim.funding.models import Milestone
from kelisim.organisations.models import Expert

BATCH_SIZE = 1000
PROGRESS_EVERY = 500
MAX_REPORTED_ERRORS = 500
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    example: object
    # Columns added after the first template: a file made from an older template may leave them out.
    optional_in_header: bool = False

    @property
    def required(self) -> bool:
        return self.name in REQUIRED_COLUMNS


# The template's columns, in its order, by what they say about the activity.
_WHAT_AND_WHEN = [
    Column("activity_type", gettext_lazy("Type code (see the Codes sheet)."), "lecture"),
    Column("title", gettext_lazy("Short title, up to 300 characters."), "EXAMPLE: replace this row"),
    Column("description", gettext_lazy("What happened. No names of participants."), ""),
    Column("start_date", gettext_lazy("Date: YYYY-MM-DD or DD.MM.YYYY."), "2026-03-12"),
    Column("end_date", gettext_lazy("Last day, if not the same day."), ""),
]
_WHERE = [
    Column("region", gettext_lazy("Region code, ISO 3166-2:KZ (see the Codes sheet)."), "KZ-31"),
    Column("settlement", gettext_lazy("Town or village."), "Taraz"),
    Column("venue_type", gettext_lazy("Venue code (see the Codes sheet)."), "school"),
]
_FOR_WHOM = [
    Column("languages", gettext_lazy("Language codes kk, ru, en separated by semicolons."), "kk;ru"),
    Column("audiences", gettext_lazy("Audience codes separated by semicolons."), "school_students"),
    Column("strand", gettext_lazy("Strand code (see the Codes sheet)."), "youth"),
    Column("plan_item", gettext_lazy("Plan item ID, if the event serves one."), ""),
]
_REACH = [
    *[Column(name, gettext_lazy("Number of people (0 if none)."), 0) for name in ATTENDANCE_FIELDS],
    Column("online_posts", gettext_lazy("Online campaigns: number of posts."), 0),
    Column("online_views", gettext_lazy("Online campaigns: views."), 0),
    Column("online_shares", gettext_lazy("Online campaigns: shares."), 0),
]
_LINKS = [
    Column("material_links", gettext_lazy("Links to materials separated by spaces."), ""),
    Column(
        "lecturers",
        gettext_lazy(
            "Lecturers from the expert roster: their roster IDs (the number in the address of the expert's page, "
            "also on the Codes sheet) separated by semicolons, for example 12;15."
        ),
        "",
        optional_in_header=True,
    ),
    Column(
        "partners",
        gettext_lazy(
            "Partner organisations: their BINs (12 digits) separated by semicolons, for example "
            "010140000018;990240004562. Each must be in the NGO registry."
        ),
        "",
        optional_in_header=True,
    ),
    Column(
        "milestone",
        gettext_lazy(
            "Contract milestone: the contract number, a slash and the milestone's number on that contract (as the "
            "report form lists it), for example KLS-2026-003-001/2. Only your organisation's contracts."
        ),
        "",
        optional_in_header=True,
    ),
]
COLUMNS = [*_WHAT_AND_WHEN, *_WHERE, *_FOR_WHOM, *_REACH, *_LINKS]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_HEADER = [column.name for column in COLUMNS if not column.optional_in_header]


def template_xlsx(organisation=None) -> bytes:
    """The template; with an organisation, the Codes sheet also lists its contracts' milestones."""
    from openpyxl import Workbook  # only here: openpyxl costs every web process memory (issue 13)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "reports"
    sheet.append(COLUMN_NAMES)
    sheet.append([column.example for column in COLUMNS])
    codes = workbook.create_sheet("codes")
    codes.append(["list", "code", "meaning"])
    for label, choices in (
        ("activity_type", ActivityType.choices),
        ("venue_type", VenueType.choices),
        ("audiences", Audience.choices),
    ):
        for code, meaning in choices:
            codes.append([label, code, str(meaning)])
    for region in Region.objects.all():
        codes.append(["region", region.code, region.name])
    for strand in Strand.objects.all():
        codes.append(["strand", strand.code, strand.name])
    for pk, name in Expert.objects.filter(is_listed=True).order_by("full_name", "pk").values_list("pk", "full_name"):
        codes.append(["lecturers", pk, name])
    if organisation is not None:
        milestones = (
            Milestone.objects.filter(contract__application__organisation=organisation)
            .select_related("contract")
            .order_by("contract__number", "position", "pk")
        )
        for milestone in milestones:
            codes.append(["milestone", milestone_code(milestone.contract.number, milestone.position), milestone.title])
    help_sheet = workbook.create_sheet("help")
    help_sheet.append(["column", "required", "help"])
    for column in COLUMNS:
        help_sheet.append([column.name, "yes" if column.required else "", str(column.help)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MAX_PREVIEWED = 200  # reports listed on the preview page (the count is always complete)
# The template's example row: refused, so an unchanged template never becomes a report (issue 15).
EXAMPLE_TITLE = "EXAMPLE: replace this row"


def process_job(job_id: int) -> ReportImport:
    """A queued file is checked and previewed (nothing written); a confirmed one is checked again and written."""
    job = ReportImport.objects.get(pk=job_id)
    write = job.status == ReportImport.Status.CONFIRMED or job.confirmed_at is not None
    ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.RUNNING)
    try:
        return _process(job, write=write)
    except Exception:
        ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.FAILED, finished_at=timezone.now())
        raise


def _problem(row, column: str, message) -> dict:
    return {"row": row, "column": column, "message": message}


def _preview(rows: list[dict]) -> dict:
    region_codes = dict(Region.objects.values_list("pk", "code"))
    return {
        "create_count": len(rows),
        "creates": [
            {
                "title": data.get("title", ""),
                "start_date": str(data.get("start_date", "")),
                "activity_type": str(data.get("activity_type", "")),
                "region": region_codes.get(data.get("region_id"), ""),
                "participants": sum(int(data.get(name) or 0) for name in ATTENDANCE_FIELDS),
            }
            for data in rows[:MAX_PREVIEWED]
        ],
    }


def _reject(job: ReportImport, errors: list[dict], row_count: int = 0) -> None:
    ReportImport.objects.filter(pk=job.pk).update(
        status=ReportImport.Status.REJECTED,
        processed_rows=row_count,
        error_count=len(errors),
        errors=errors[:MAX_REPORTED_ERRORS],
        finished_at=timezone.now(),
    )


def _process(job: ReportImport, *, write: bool = True) -> ReportImport:
    try:  # again here, before openpyxl opens it: what it expands to, whichever way the file was stored
        files.check_stored(job.source, files.SPREADSHEET_IMPORT, name=job.original_name)
    except ValidationError as error:
        _reject(job, [_problem("", "", message) for message in error.messages])
        job.refresh_from_db()
        return job
    with job.source.open("rb") as handle:
        from openpyxl import load_workbook

        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        ReportImport.objects.filter(pk=job.pk).update(total_rows=max(0, (sheet.max_row or 1) - 1))
        reports, errors, row_count = _check_sheet(job, sheet.iter_rows(values_only=True))
        workbook.close()
    if errors or not reports:
        if not errors:
            errors.append(_problem("", "", _("The file has no rows to import.")))
        _reject(job, errors, row_count)
    elif write:
        _write(job, reports)
    else:
        ReportImport.objects.filter(pk=job.pk).update(
            status=ReportImport.Status.PREVIEW, processed_rows=row_count, preview=_preview(reports)
        )
    job.refresh_from_db()
    return job


def _check_sheet(job: ReportImport, rows) -> tuple[list[dict], list[dict], int]:
    """The reports of every row, the errors (row, "<letter> <column>", message) and how many rows were read."""
    header = [text(value) for value in next(rows, ())]
    errors: list[dict] = []
    missing = [name for name in REQUIRED_HEADER if name not in header]
    if missing:
        errors.append(_problem(1, ", ".join(missing), _("These columns are missing.")))
    refs = References(job.organisation_id)
    reports, row_number = [], 1
    for row_number, raw in enumerate(rows, start=2):
        if raw is None or all(value in (None, "") for value in raw):
            continue
        if row_number - 1 > MAX_ROWS:
            errors.append(_problem(row_number, "", _("At most %(max)s rows per file.") % {"max": MAX_ROWS}))
            break
        data, problems = check_cells(dict(zip(header, raw, strict=False)), refs)
        if text(dict(zip(header, raw, strict=False)).get("title")) == EXAMPLE_TITLE:
            errors.append(
                _problem(row_number, "title", _("This is the template's example row: replace it with your activities."))
            )
            continue
        for problem in problems:
            from openpyxl.utils import get_column_letter

            letter = get_column_letter(header.index(problem.column) + 1) if problem.column in header else ""
            errors.append(_problem(row_number, f"{letter} {problem.column}".strip(), problem.message))
        if not problems and not errors:
            reports.append(data)
        if row_number % PROGRESS_EVERY == 0:
            ReportImport.objects.filter(pk=job.pk).update(processed_rows=row_number - 1)
    return reports, errors, row_number - 1


@transaction.atomic
def _write(job: ReportImport, rows: list[dict]) -> None:
    now = timezone.now()
    links = [(data.pop("lecturers"), data.pop("partners")) for data in rows]
    reports = [_new_report(job, data, now) for data in rows]
    created = bulk_create_with_history(
        reports,
        ActivityReport,
        batch_size=BATCH_SIZE,
        default_user=job.created_by,
        default_change_reason=f"imported from {job.original_name}"[:100],
    )
    if any(report.pk is None for report in created):  # databases that do not return keys from bulk inserts
        created = list(ActivityReport.objects.filter(import_job=job).only("pk").order_by("pk"))
    _write_links(created, links)
    StatusChange.objects.bulk_create(
        (
            StatusChange(
                report_id=report.pk,
                from_status=ReportStatus.DRAFT,
                to_status=ReportStatus.SUBMITTED,
                actor_id=job.created_by_id,
                comment="",
                created_at=now,
            )
            for report in created
        ),
        batch_size=BATCH_SIZE,
    )
    ReportImport.objects.filter(pk=job.pk).update(
        status=ReportImport.Status.DONE,
        processed_rows=len(rows),
        created_count=len(rows),
        finished_at=timezone.now(),
    )


def _new_report(job: ReportImport, data: dict, now) -> ActivityReport:
    report = ActivityReport(
        organisation_id=job.organisation_id,
        created_by_id=job.created_by_id,
        import_job=job,
        status=ReportStatus.SUBMITTED,
        submitted_at=now,
        created_at=now,
        **data,
    )
    report.compute_totals()
    return report


def _write_links(reports: list[ActivityReport], links: list[tuple[list[int], list[int]]]) -> None:
    """Each report's lecturers and partner organisations (``links`` in the reports' order)."""
    lecturer_link, partner_link = ActivityReport.lecturers.through, ActivityReport.partners.through
    pairs = list(zip(reports, links, strict=True))
    lecturer_link.objects.bulk_create(
        (lecturer_link(activityreport_id=report.pk, expert_id=pk) for report, (ids, _p) in pairs for pk in ids),
        batch_size=BATCH_SIZE,
    )
    partner_link.objects.bulk_create(
        (partner_link(activityreport_id=report.pk, organisation_id=pk) for report, (_l, ids) in pairs for pk in ids),
        batch_size=BATCH_SIZE,
    )
