"""Bulk entry: an XLSX template, and an import that checks every row before writing any.

The file is streamed with openpyxl in read-only mode; every row is checked against the same rules as
the form; errors name the row and the column. If any row is wrong nothing is written. Otherwise all rows
are written in one transaction with bulk_create (reports, their history, their status changes and their
lecturers and partner organisations), as submitted reports waiting for an officer.

Lecturers are given by their ID on the expert roster (the number in the address of the expert's page, also
listed on the template's "codes" sheet), partner organisations by BIN (they must be in the registry), and
the contract milestone as "<contract number>/<milestone number>" (the milestone's number on the contract,
as the report form's milestone list shows it); the milestone must belong to a contract of the importing
organisation, the rule ``services`` enforces for the form.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    MAX_COUNT,
    MAX_REACH,
    ActivityReport,
    ActivityType,
    Audience,
    ReportImport,
    ReportStatus,
    StatusChange,
    VenueType,
)
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import Region, Strand
from kelisim.funding.models import Contract, Milestone
from kelisim.organisations.models import Expert, Organisation

BATCH_SIZE = 1000
PROGRESS_EVERY = 500
MAX_REPORTED_ERRORS = 500
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: object
    # Columns added after the first template: a file made from an older template may leave them out.
    optional_in_header: bool = False


COLUMNS = [
    Column("activity_type", True, gettext_lazy("Type code (see the Codes sheet)."), "lecture"),
    Column("title", True, gettext_lazy("Short title, up to 300 characters."), "Lecture on media literacy"),
    Column("description", False, gettext_lazy("What happened. No names of participants."), ""),
    Column("start_date", True, gettext_lazy("Date: YYYY-MM-DD or DD.MM.YYYY."), "2026-03-12"),
    Column("end_date", False, gettext_lazy("Last day, if not the same day."), ""),
    Column("region", True, gettext_lazy("Region code, ISO 3166-2:KZ (see the Codes sheet)."), "KZ-31"),
    Column("settlement", False, gettext_lazy("Town or village."), "Taraz"),
    Column("venue_type", True, gettext_lazy("Venue code (see the Codes sheet)."), "school"),
    Column("languages", False, gettext_lazy("Language codes kk, ru, en separated by semicolons."), "kk;ru"),
    Column("audiences", False, gettext_lazy("Audience codes separated by semicolons."), "school_students"),
    Column("strand", True, gettext_lazy("Strand code (see the Codes sheet)."), "youth"),
    Column("plan_item", False, gettext_lazy("Plan item ID, if the event serves one."), ""),
    *[Column(name, False, gettext_lazy("Number of people (0 if none)."), 0) for name in ATTENDANCE_FIELDS],
    Column("online_posts", False, gettext_lazy("Online campaigns: number of posts."), 0),
    Column("online_views", False, gettext_lazy("Online campaigns: views."), 0),
    Column("online_shares", False, gettext_lazy("Online campaigns: shares."), 0),
    Column("material_links", False, gettext_lazy("Links to materials separated by spaces."), ""),
    Column(
        "lecturers",
        False,
        gettext_lazy(
            "Lecturers from the expert roster: their roster IDs (the number in the address of the expert's page, "
            "also on the Codes sheet) separated by semicolons, for example 12;15."
        ),
        "",
        optional_in_header=True,
    ),
    Column(
        "partners",
        False,
        gettext_lazy(
            "Partner organisations: their BINs (12 digits) separated by semicolons, for example "
            "010140000018;990240004562. Each must be in the NGO registry."
        ),
        "",
        optional_in_header=True,
    ),
    Column(
        "milestone",
        False,
        gettext_lazy(
            "Contract milestone: the contract number, a slash and the milestone's number on that contract (as the "
            "report form lists it), for example KLS-2026-003-001/2. Only your organisation's contracts."
        ),
        "",
        optional_in_header=True,
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_HEADER = [column.name for column in COLUMNS if not column.optional_in_header]


def milestone_code(contract_number: str, position: int) -> str:
    """How a milestone is written in the import file and shown in the report form: "KLS-2026-003-001/2"."""
    return f"{contract_number}/{position}"


def template_xlsx(organisation=None) -> bytes:
    """The template; with an organisation, the Codes sheet also lists its contracts' milestones."""
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


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(column: str, value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(column, _("“%(value)s” is not a date (use YYYY-MM-DD or DD.MM.YYYY).") % {"value": text[:40]})


def _count(column: str, value, maximum: int) -> int:
    if value in (None, ""):
        return 0
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise RowError(column, _("“%(value)s” is not a whole number.") % {"value": _text(value)[:40]}) from None
    if number != int(number) or number < 0:
        raise RowError(column, _("Enter a whole number, 0 or more."))
    if number > maximum:
        raise RowError(column, _("The number is larger than %(max)s.") % {"max": maximum})
    return int(number)


def _choice(column: str, value, allowed) -> str:
    code = _text(value)
    if code not in allowed:
        raise RowError(column, _("Unknown code “%(value)s” (see the Codes sheet).") % {"value": code[:40]})
    return code


def _code_list(column: str, value, allowed) -> str:
    codes = [code.strip() for code in _text(value).replace(",", ";").split(";") if code.strip()]
    unknown = [code for code in codes if code not in allowed]
    if unknown:
        raise RowError(column, _("Unknown code “%(value)s” (see the Codes sheet).") % {"value": unknown[0][:40]})
    return ",".join(dict.fromkeys(codes))


def _tokens(value) -> list[str]:
    return [token.strip() for token in _text(value).replace(",", ";").split(";") if token.strip()]


class _Lookups:
    """What rows refer to, read once per file (partners are looked up per distinct BIN: the registry is large)."""

    def __init__(self, organisation_id: int | None = None):
        from kelisim.plans.models import TrackedItem

        self.organisation_id = organisation_id
        self.regions = {region.code: region.pk for region in Region.objects.all()}
        self.strands = {strand.code: strand.pk for strand in Strand.objects.all()}
        self.plan_items = dict(TrackedItem.objects.filter(first_published_in__isnull=False).values_list("code", "pk"))
        self.experts = set(Expert.objects.filter(is_listed=True).values_list("pk", flat=True))
        self._partners: dict[str, int | None] = {}
        self.milestones: dict[tuple[str, int], int] = {}
        self.own_contracts: set[str] = set()
        rows = Milestone.objects.filter(contract__application__organisation_id=organisation_id).values_list(
            "contract__number", "position", "pk"
        )
        for number, position, pk in rows.order_by("pk"):
            self.milestones.setdefault((number.casefold(), position), pk)
            self.own_contracts.add(number.casefold())
        self._other_contracts: dict[str, bool] = {}

    def partner(self, bin_number: str) -> int | None:
        if bin_number not in self._partners:
            found = Organisation.objects.filter(bin=bin_number).values_list("pk", flat=True)
            self._partners[bin_number] = found.first()
        return self._partners[bin_number]

    def contract_elsewhere(self, number: str) -> bool:
        """Whether another organisation holds a contract with this number (for a precise message)."""
        if number not in self._other_contracts:
            self._other_contracts[number] = Contract.objects.filter(number__iexact=number).exists()
        return self._other_contracts[number]


def _lecturers(value, lookups: _Lookups) -> list[int]:
    ids = []
    for token in _tokens(value):
        if not token.isdigit():
            raise RowError(
                "lecturers",
                _("“%(value)s” is not an expert's ID: write the number from the expert roster.")
                % {"value": token[:40]},
            )
        if int(token) not in lookups.experts:
            raise RowError("lecturers", _("No expert on the roster has the ID %(value)s.") % {"value": token[:40]})
        ids.append(int(token))
    return list(dict.fromkeys(ids))


def _partners(value, lookups: _Lookups) -> list[int]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # One BIN in a number cell: the spreadsheet dropped its leading zeros.
        tokens = [_text(value).zfill(12)]
    else:
        tokens = [token.replace(" ", "") for token in _tokens(value)]
    ids = []
    for token in tokens:
        if len(token) != 12 or not token.isdigit():
            raise RowError("partners", _("“%(value)s” is not a BIN (12 digits).") % {"value": token[:40]})
        pk = lookups.partner(token)
        if pk is None:
            raise RowError("partners", _("No organisation in the registry has the BIN %(value)s.") % {"value": token})
        ids.append(pk)
    return list(dict.fromkeys(ids))


class _Registry:
    """BIN -> organisation, asked per BIN (the report form names a few partners at a time)."""

    def partner(self, bin_number: str) -> int | None:
        return Organisation.objects.filter(bin=bin_number).values_list("pk", flat=True).first()


def partner_ids(value) -> list[int]:
    """Partner organisations written as in the import's column (BINs separated by semicolons), for the
    report form: the same rules and messages; raises RowError."""
    return _partners(value, _Registry())


def _milestone(value, lookups: _Lookups) -> int | None:
    text = _text(value)
    if not text:
        return None
    number, _slash, position = text.rpartition("/")
    number, position = number.strip(), position.strip()
    if not number or not position.isdigit():
        raise RowError(
            "milestone",
            _("Write the contract number, a slash and the milestone's number, for example KLS-2026-003-001/2."),
        )
    key = (number.casefold(), int(position))
    if key in lookups.milestones:
        return lookups.milestones[key]
    if key[0] in lookups.own_contracts:
        raise RowError(
            "milestone",
            _("Contract %(contract)s has no milestone number %(number)s.")
            % {"contract": number[:40], "number": position[:10]},
        )
    if lookups.contract_elsewhere(number):
        raise RowError("milestone", _("This milestone belongs to another organisation's contract."))
    raise RowError("milestone", _("Your organisation has no contract numbered “%(value)s”.") % {"value": number[:40]})


def check_report(values: dict, *, organisation_id: int) -> tuple[dict, list[RowError]]:
    """One report written as a row of the import file (column name -> cell), checked exactly as the import
    checks a row: the API files reports through this, so both take the same codes and give the same
    messages. The fields come back ready for ``services.create_report``, with ``lecturers`` and
    ``partners`` as lists of ids."""
    return check_row(values, _Lookups(organisation_id))


def check_row(values: dict, lookups: _Lookups) -> tuple[dict, list[RowError]]:
    """The fields of one report, or the errors of the row (every column is checked, not only the first)."""
    data, errors = {}, []

    def field(column, convert):
        try:
            return convert()
        except RowError as error:
            errors.append(error)
            return None

    for column in COLUMNS:
        if column.required and _text(values.get(column.name)) == "":
            errors.append(RowError(column.name, _("This column is required.")))
    data["activity_type"] = field(
        "activity_type", lambda: _choice("activity_type", values.get("activity_type"), ActivityType.values)
    )
    title = _text(values.get("title"))
    if len(title) > 300:
        errors.append(RowError("title", _("At most 300 characters.")))
    data["title"] = title
    data["description"] = _text(values.get("description"))
    data["start_date"] = field("start_date", lambda: _date("start_date", values.get("start_date")))
    end = field("end_date", lambda: _date("end_date", values.get("end_date")))
    data["end_date"] = end or data["start_date"]
    if data["start_date"] and data["end_date"] and data["end_date"] < data["start_date"]:
        errors.append(RowError("end_date", _("The end date cannot be before the start date.")))
    region_code = _text(values.get("region"))
    if region_code and region_code not in lookups.regions:
        errors.append(
            RowError("region", _("Unknown code “%(value)s” (see the Codes sheet).") % {"value": region_code[:40]})
        )
    data["region_id"] = lookups.regions.get(region_code)
    data["settlement"] = _text(values.get("settlement"))[:200]
    data["venue_type"] = field("venue_type", lambda: _choice("venue_type", values.get("venue_type"), VenueType.values))
    data["languages"] = (
        field("languages", lambda: _code_list("languages", values.get("languages"), LANGUAGE_CODES)) or ""
    )
    data["audiences"] = (
        field("audiences", lambda: _code_list("audiences", values.get("audiences"), Audience.values)) or ""
    )
    strand_code = _text(values.get("strand"))
    if strand_code and strand_code not in lookups.strands:
        errors.append(
            RowError("strand", _("Unknown code “%(value)s” (see the Codes sheet).") % {"value": strand_code[:40]})
        )
    data["strand_id"] = lookups.strands.get(strand_code)
    item_code = _text(values.get("plan_item"))
    if item_code and item_code not in lookups.plan_items:
        errors.append(
            RowError("plan_item", _("No published plan item has the ID “%(value)s”.") % {"value": item_code[:40]})
        )
    data["plan_item_id"] = lookups.plan_items.get(item_code)
    for name in ATTENDANCE_FIELDS:
        data[name] = field(name, lambda name=name: _count(name, values.get(name), MAX_COUNT)) or 0
    for name in ("online_posts", "online_views", "online_shares"):
        data[name] = field(name, lambda name=name: _count(name, values.get(name), MAX_REACH)) or 0
    if data["activity_type"] == ActivityType.ONLINE_CAMPAIGN and data["venue_type"] not in (None, VenueType.ONLINE):
        errors.append(RowError("venue_type", _("An online campaign takes place online.")))
    data["material_links"] = "\n".join(_text(values.get("material_links")).split())
    data["lecturers"] = field("lecturers", lambda: _lecturers(values.get("lecturers"), lookups)) or []
    data["partners"] = field("partners", lambda: _partners(values.get("partners"), lookups)) or []
    data["milestone_id"] = field("milestone", lambda: _milestone(values.get("milestone"), lookups))
    return data, errors


def process_job(job_id: int) -> ReportImport:
    job = ReportImport.objects.get(pk=job_id)
    ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.RUNNING)
    try:
        return _process(job)
    except Exception:
        ReportImport.objects.filter(pk=job.pk).update(status=ReportImport.Status.FAILED, finished_at=timezone.now())
        raise


def _process(job: ReportImport) -> ReportImport:
    with job.source.open("rb") as handle:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        total = max(0, (sheet.max_row or 1) - 1)
        ReportImport.objects.filter(pk=job.pk).update(total_rows=total)
        rows = sheet.iter_rows(values_only=True)
        header = [_text(value) for value in next(rows, ())]
        errors: list[dict] = []
        missing = [name for name in REQUIRED_HEADER if name not in header]
        if missing:
            errors.append({"row": 1, "column": ", ".join(missing), "message": _("These columns are missing.")})
        lookups = _Lookups(job.organisation_id)
        reports, row_number = [], 1
        for row_number, raw in enumerate(rows, start=2):
            if raw is None or all(value in (None, "") for value in raw):
                continue
            if row_number - 1 > MAX_ROWS:
                errors.append(
                    {
                        "row": row_number,
                        "column": "",
                        "message": _("At most %(max)s rows per file.") % {"max": MAX_ROWS},
                    }
                )
                break
            values = dict(zip(header, raw, strict=False))
            data, row_errors = check_row(values, lookups)
            for error in row_errors:
                letter = get_column_letter(header.index(error.column) + 1) if error.column in header else ""
                errors.append(
                    {"row": row_number, "column": f"{letter} {error.column}".strip(), "message": error.message}
                )
            if not row_errors and not errors:
                reports.append(data)
            if row_number % PROGRESS_EVERY == 0:
                ReportImport.objects.filter(pk=job.pk).update(processed_rows=row_number - 1)
        workbook.close()
    if errors or not reports:
        if not errors:
            errors.append({"row": "", "column": "", "message": _("The file has no rows to import.")})
        ReportImport.objects.filter(pk=job.pk).update(
            status=ReportImport.Status.REJECTED,
            processed_rows=row_number - 1,
            error_count=len(errors),
            errors=errors[:MAX_REPORTED_ERRORS],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    _write(job, reports)
    job.refresh_from_db()
    return job


@transaction.atomic
def _write(job: ReportImport, rows: list[dict]) -> None:
    now = timezone.now()
    reports, links = [], []
    for data in rows:
        links.append((data.pop("lecturers"), data.pop("partners")))
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
        reports.append(report)
    created = bulk_create_with_history(
        reports,
        ActivityReport,
        batch_size=BATCH_SIZE,
        default_user=job.created_by,
        default_change_reason=f"imported from {job.original_name}"[:100],
    )
    if any(report.pk is None for report in created):  # databases that do not return keys from bulk inserts
        created = list(ActivityReport.objects.filter(import_job=job).only("pk").order_by("pk"))
    lecturer_link, partner_link = ActivityReport.lecturers.through, ActivityReport.partners.through
    lecturer_link.objects.bulk_create(
        (
            lecturer_link(activityreport_id=report.pk, expert_id=expert_id)
            for report, (lecturers, _others) in zip(created, links, strict=True)
            for expert_id in lecturers
        ),
        batch_size=BATCH_SIZE,
    )
    partner_link.objects.bulk_create(
        (
            partner_link(activityreport_id=report.pk, organisation_id=organisation_id)
            for report, (_others, partners) in zip(created, links, strict=True)
            for organisation_id in partners
        ),
        batch_size=BATCH_SIZE,
    )
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
