"""Importing organisations from CSV or XLSX: read, check every row, then write in bulk.

The file is read whole (23,000 rows are a few megabytes), every row is checked against the
same rules as the registration form, and only then is anything written:

* "all or nothing": any error means nothing is written; otherwise every row is written in one
  transaction, so a failure half-way (a crash, a BIN registered meanwhile) leaves no trace;
* "valid rows": rows with errors are reported and skipped; the others are written in batches,
  each batch in its own transaction together with its strands, so no row is ever half-saved.

Rows are matched to existing organisations by BIN: a re-import updates them instead of
duplicating them. Writes use bulk_create / bulk_update in batches, and the organisations'
history gets one record per row naming the import.
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import ImportJob, Organisation
from kelisim.organisations.validators import bin_check_digit

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000
PROGRESS_EVERY = 1000
MAX_REPORTED_ERRORS = 2000


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str


COLUMNS = [
    Column("bin", True, _("Business identification number: 12 digits, the last a check digit."), "160240000038"),
    Column("name_kk", False, _("Name in Kazakh. At least one of the three names is required."), "«Келісім» қоғамы"),
    Column("name_ru", False, _("Name in Russian."), "Объединение «Согласие»"),
    Column("name_en", False, _("Name in English."), "Accord association"),
    Column("legal_form", True, _("Legal form code (see the list below)."), "public_association"),
    Column("region", True, _("Region code, ISO 3166-2:KZ (see the list below)."), "KZ-31"),
    Column("registration_date", False, _("Date of registration: YYYY-MM-DD or DD.MM.YYYY."), "2009-09-07"),
    Column("address", False, _("Postal address."), "Тараз, ул. Толе би, 1"),
    Column("strands", False, _("Programme strand codes, separated by semicolons."), "youth;prisons"),
    Column("working_languages", False, _("Language codes kk, ru, en, separated by semicolons."), "kk;ru"),
    Column("public_email", False, _("Public email address."), "info@accord.example.kz"),
    Column("public_phone", False, _("Public phone number."), "+7 7262 00 00 00"),
    Column("private_email", False, _("Email seen only by the organisation's admins and officers."), ""),
    Column("private_phone", False, _("Phone seen only by the organisation's admins and officers."), ""),
    Column("website", False, _("Website address starting with http:// or https://."), "https://accord.example.kz"),
    Column("description_kk", False, _("Description in Kazakh."), ""),
    Column("description_ru", False, _("Description in Russian."), "Межконфессиональный диалог в Жамбылской области."),
    Column("description_en", False, _("Description in English."), ""),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
MAX_LENGTHS = {
    f.name: f.max_length
    for f in Organisation._meta.concrete_fields
    if getattr(f, "max_length", None) and f.name in COLUMN_NAMES
}
# Columns written on update (everything the file describes) plus the timestamp.
WRITTEN_FIELDS = [
    "name_kk",
    "name_ru",
    "name_en",
    "legal_form",
    "region",
    "registration_date",
    "address",
    "working_languages",
    "public_email",
    "public_phone",
    "private_email",
    "private_phone",
    "website",
    "description_kk",
    "description_ru",
    "description_en",
]


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, a required column missing)."""


@dataclass
class CheckedRow:
    row: int
    values: dict
    strand_ids: list[int]


@dataclass
class Report:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    total: int = 0

    def add(self, row: int, column: str, code: str, message: str) -> None:
        self.error_rows.add(row)
        self.errors.append({"row": row, "column": column, "code": code, "message": str(message)})


# --- Reading --------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(name: str, stream) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number as the user sees it, cells)]) from a CSV or XLSX file."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return _read_xlsx(stream)
    if lowered.endswith(".csv"):
        return _read_csv(stream)
    raise FileError(_("Please upload a .csv or .xlsx file."))


def _read_csv(stream) -> tuple[list[str], list[tuple[int, list[str]]]]:
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and upload it again.")) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise FileError(_("The file is empty."))
    rows = [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, start=2) if any(cells)]
    return [cell.strip().lower() for cell in header], rows


def _read_xlsx(stream) -> tuple[list[str], list[tuple[int, list[str]]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileError(_("This is not a readable .xlsx file.")) from error
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header_cells = next(iterator, None)
        if not header_cells:
            raise FileError(_("The file is empty."))
        header = [_cell(cell).lower() for cell in header_cells]
        rows = []
        for number, cells in enumerate(iterator, start=2):
            values = [_cell(cell) for cell in cells]
            if any(values):
                rows.append((number, values))
        return header, rows
    finally:
        workbook.close()


# --- Checking -------------------------------------------------------------------------------

_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


def _parse_date(text: str) -> date | None:
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _normalise_bin(text: str) -> str:
    text = text.replace(" ", "")
    # Spreadsheets drop leading zeros from numbers: a BIN of 11 digits lost its first "0".
    if text.isdigit() and len(text) == 11:
        text = "0" + text
    return text


def check_rows(header: list[str], rows, *, on_progress=None) -> Report:
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise FileError(
            _("A required column is missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if not any(name in header for name in NAME_COLUMNS):
        raise FileError(_("The first row needs at least one of the columns name_kk, name_ru, name_en."))
    positions = {name: header.index(name) for name in COLUMN_NAMES if name in header}
    regions = dict(Region.objects.values_list("code", "pk"))
    strands = dict(Strand.objects.values_list("code", "pk"))
    legal_forms = set(Organisation.LegalForm.values)
    report = Report(total=len(rows))
    first_row_of_bin: dict[str, int] = {}

    for index, (number, cells) in enumerate(rows, start=1):
        raw = {name: (cells[position] if position < len(cells) else "") for name, position in positions.items()}
        errors_before = len(report.errors)
        values: dict = {}

        bin_number = _normalise_bin(raw.get("bin", ""))
        if not bin_number:
            report.add(number, "bin", "required", _("The BIN is missing."))
        elif len(bin_number) != 12 or not bin_number.isdigit():
            report.add(number, "bin", "bin_format", _("A BIN has exactly 12 digits."))
        elif bin_check_digit(bin_number[:11]) != int(bin_number[11]):
            report.add(number, "bin", "bin_check", _("This BIN's check digit is wrong; please check the number."))
        elif bin_number in first_row_of_bin:
            report.add(
                number,
                "bin",
                "duplicate_bin",
                _("The same BIN is already in row %(row)d of this file.") % {"row": first_row_of_bin[bin_number]},
            )
        else:
            first_row_of_bin[bin_number] = number
        values["bin"] = bin_number

        if not any(raw.get(name) for name in NAME_COLUMNS):
            report.add(number, "name_ru", "required", _("At least one name (name_kk, name_ru or name_en) is needed."))

        legal_form = raw.get("legal_form", "").strip().lower()
        if not legal_form:
            report.add(number, "legal_form", "required", _("The legal form is missing."))
        elif legal_form not in legal_forms:
            report.add(
                number, "legal_form", "unknown_legal_form", _("Unknown legal form “%(value)s”.") % {"value": legal_form}
            )
        values["legal_form"] = legal_form

        region_code = raw.get("region", "").strip().upper()
        if not region_code:
            report.add(number, "region", "required", _("The region is missing."))
        elif region_code not in regions:
            report.add(
                number, "region", "unknown_region", _("Unknown region code “%(value)s”.") % {"value": region_code}
            )
        values["region_id"] = regions.get(region_code)

        registration_date = None
        if raw.get("registration_date"):
            try:
                registration_date = _parse_date(raw["registration_date"])
            except ValueError:
                report.add(
                    number,
                    "registration_date",
                    "bad_date",
                    _("“%(value)s” is not a date; write YYYY-MM-DD or DD.MM.YYYY.")
                    % {"value": raw["registration_date"]},
                )
        values["registration_date"] = registration_date

        for name in ("public_email", "private_email"):
            if raw.get(name):
                try:
                    _email(raw[name])
                except ValidationError:
                    report.add(
                        number, name, "bad_email", _("“%(value)s” is not an email address.") % {"value": raw[name]}
                    )
            values[name] = raw.get(name, "")
        if raw.get("website"):
            try:
                _url(raw["website"])
            except ValidationError:
                report.add(
                    number,
                    "website",
                    "bad_url",
                    _("“%(value)s” is not a web address starting with http:// or https://.")
                    % {"value": raw["website"]},
                )
        values["website"] = raw.get("website", "")

        strand_ids = []
        for code in filter(None, (part.strip().lower() for part in raw.get("strands", "").split(";"))):
            if code in strands:
                strand_ids.append(strands[code])
            else:
                report.add(number, "strands", "unknown_strand", _("Unknown strand code “%(value)s”.") % {"value": code})
        languages = []
        for code in filter(None, (part.strip().lower() for part in raw.get("working_languages", "").split(";"))):
            if code in LANGUAGE_CODES:
                languages.append(code)
            else:
                report.add(
                    number,
                    "working_languages",
                    "unknown_language",
                    _("Unknown language code “%(value)s”.") % {"value": code},
                )
        values["working_languages"] = ",".join(sorted(set(languages)))

        for name in ("name_kk", "name_ru", "name_en", "address", "public_phone", "private_phone"):
            values[name] = raw.get(name, "")
        for name in ("description_kk", "description_ru", "description_en"):
            values[name] = raw.get(name, "")
        for name, limit in MAX_LENGTHS.items():
            if name in raw and len(raw[name]) > limit:
                report.add(number, name, "too_long", _("Longer than %(limit)d characters.") % {"limit": limit})

        if len(report.errors) == errors_before:
            report.rows.append(CheckedRow(row=number, values=values, strand_ids=sorted(set(strand_ids))))
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress(index)
    return report


# --- Writing --------------------------------------------------------------------------------


def _existing_ids(bins: list[str]) -> dict[str, int]:
    found = {}
    for start in range(0, len(bins), 900):
        found.update(Organisation.objects.filter(bin__in=bins[start : start + 900]).values_list("bin", "pk"))
    return found


def write_rows(rows: list[CheckedRow], *, actor, reason: str) -> tuple[int, int]:
    """Create or update ``rows`` by BIN, with their strands and one history record each. (created, updated)

    Rows were checked field by field already, so they are written with prepared statements
    (executemany) instead of model instances: building 70,000 model objects (organisations,
    history records, strand links) would cost more than the writing itself.
    """
    now = timezone.now()
    # Adapted once: the same timestamp goes into 70,000 rows.
    now = connection.ops.adapt_datetimefield_value(now)
    existing = _existing_ids([row.values["bin"] for row in rows])
    new_rows = [row for row in rows if row.values["bin"] not in existing]
    updated_rows = [row for row in rows if row.values["bin"] in existing]
    stamps = {"updated_at": now}

    _insert_many(
        Organisation,
        [
            {
                **row.values,
                **stamps,
                "created_at": now,
                "kind": Organisation.Kind.NGO,
                "verification_status": Organisation.Verification.UNVERIFIED,
                "verification_note": "",
            }
            for row in new_rows
        ],
    )
    ids = {**existing, **_existing_ids([row.values["bin"] for row in new_rows])}
    if updated_rows:
        _update_many(
            [{**row.values, **stamps, "id": existing[row.values["bin"]]} for row in updated_rows],
            [*WRITTEN_FIELDS, "updated_at"],
        )
        updated_ids = [existing[row.values["bin"]] for row in updated_rows]
        through = Organisation.focus_strands.through
        for start in range(0, len(updated_ids), 900):
            through.objects.filter(organisation_id__in=updated_ids[start : start + 900]).delete()

    through = Organisation.focus_strands.through
    _insert_many(
        through,
        [
            {"organisation_id": ids[row.values["bin"]], "strand_id": strand_id}
            for row in rows
            for strand_id in row.strand_ids
        ],
    )
    _record_history(rows, ids, existing, actor=actor, reason=reason, when=now)
    return len(new_rows), len(updated_rows)


def _record_history(rows, ids, existing, *, actor, reason: str, when) -> None:
    """One history record per row, as simple-history would write it on save()."""
    history_model = Organisation.history.model
    tracked = [field.attname for field in history_model.tracked_fields]
    # New rows hold exactly what was just inserted; updated rows keep fields a file never
    # carries (verification, creation), so those are read back.
    current = {}
    updated_ids = [ids[row.values["bin"]] for row in rows if row.values["bin"] in existing]
    for start in range(0, len(updated_ids), 900):
        for values in Organisation.objects.filter(pk__in=updated_ids[start : start + 900]).values(*tracked):
            current[values["id"]] = values
    inserted = {
        "kind": Organisation.Kind.NGO,
        "verification_status": Organisation.Verification.UNVERIFIED,
        "verification_note": "",
        "verified_at": None,
        "verified_by_id": None,
        "created_at": when,
    }
    records = []
    for row in rows:
        pk = ids[row.values["bin"]]
        updated = row.values["bin"] in existing
        source = current[pk] if updated else {**row.values, **inserted, "id": pk}
        records.append(
            {
                **{name: source[name] for name in tracked},
                "history_date": when,
                "history_user_id": actor.pk if actor else None,
                "history_change_reason": reason,
                "history_type": "~" if updated else "+",
            }
        )
    _insert_many(history_model, records)


def _prepare(field, value):
    if value is None or type(value) in (str, int, float):
        return value
    if type(value) is date:
        return connection.ops.adapt_datefield_value(value)
    return field.get_db_prep_save(value, connection)


def _insert_many(model, records: list[dict]) -> None:
    if not records:
        return
    attnames = list(records[0])
    fields = [next(f for f in model._meta.concrete_fields if f.attname == name) for name in attnames]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(records), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [_prepare(field, record[field.attname]) for field in fields]
                    for record in records[start : start + BATCH_SIZE]
                ],
            )


def _update_many(records: list[dict], field_names: list[str]) -> None:
    """One prepared UPDATE per row (executemany).

    bulk_update builds a CASE expression per column per batch, which SQLite evaluates in time
    quadratic in the batch size: 23,000 rows took minutes. A prepared statement takes seconds.
    """
    fields = [Organisation._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Organisation._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(records), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [_prepare(field, record[field.attname]) for field in fields] + [record["id"]]
                    for record in records[start : start + BATCH_SIZE]
                ],
            )


# --- The whole job --------------------------------------------------------------------------


def _update_job(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def process_job(job_id: int) -> ImportJob:
    """Run one import job to its end. Called by the background task; safe to call once per job."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, stage=ImportJob.Stage.READING
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    reason = f"import #{job.pk}: {job.original_name}"[:100]
    try:
        with job.source.open("rb") as stream:
            header, rows = read_rows(job.original_name, stream)
        _update_job(job, total_rows=len(rows), stage=ImportJob.Stage.CHECKING)
        report = check_rows(header, rows, on_progress=lambda done: _update_job(job, processed_rows=done))
    except FileError as error:
        _finish(
            job, ImportJob.Status.REJECTED, errors=[{"row": 1, "column": "", "code": "file", "message": str(error)}]
        )
        return job
    _update_job(job, processed_rows=report.total, error_count=len(report.errors))
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        if report.errors:
            _finish(job, ImportJob.Status.REJECTED, errors=report.errors)
            return job
        _update_job(job, stage=ImportJob.Stage.SAVING)
        try:
            with transaction.atomic():
                created, updated = write_rows(report.rows, actor=job.created_by, reason=reason)
        except Exception as error:
            logger.exception("Import %s failed; nothing was saved", job.pk)
            _finish(
                job, ImportJob.Status.FAILED, errors=[{"row": 0, "column": "", "code": "failed", "message": str(error)}]
            )
            return job
        _finish(job, ImportJob.Status.DONE, created_count=created, updated_count=updated, saved_rows=len(report.rows))
        return job

    _update_job(job, stage=ImportJob.Stage.SAVING)
    created = updated = saved = 0
    try:
        for start in range(0, len(report.rows), BATCH_SIZE):
            batch = report.rows[start : start + BATCH_SIZE]
            with transaction.atomic():
                batch_created, batch_updated = write_rows(batch, actor=job.created_by, reason=reason)
            created, updated, saved = created + batch_created, updated + batch_updated, saved + len(batch)
            _update_job(job, created_count=created, updated_count=updated, saved_rows=saved)
    except Exception as error:
        logger.exception("Import %s failed after %s rows", job.pk, saved)
        _finish(
            job,
            ImportJob.Status.FAILED,
            errors=[*report.errors, {"row": 0, "column": "", "code": "failed", "message": str(error)}],
        )
        return job
    _finish(job, ImportJob.Status.DONE, errors=report.errors)
    return job


def _finish(job: ImportJob, status: str, *, errors: list[dict] | None = None, **values) -> None:
    errors = errors or []
    _update_job(
        job,
        status=status,
        stage=ImportJob.Stage.FINISHED,
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
        finished_at=timezone.now(),
        **values,
    )


# --- Templates --------------------------------------------------------------------------------


def template_rows() -> list[list[str]]:
    return [COLUMN_NAMES, [column.example for column in COLUMNS]]


def template_csv() -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(template_rows())
    return "\ufeff" + buffer.getvalue()


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    for row in template_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
