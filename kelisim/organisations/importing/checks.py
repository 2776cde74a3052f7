"""Checking an import file row by row: one checker per column, in the order of ``CHECKERS``.

Each checker reads its cells, puts the value to write into the row and reports what is wrong, with the
same rules (and the same messages, for the BIN) as the registration form. A row with no error is written.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import Region, Strand
from kelisim.organisations.importing.columns import (
    COLUMN_NAMES,
    EXAMPLE_BIN,
    MAX_LENGTHS,
    NAME_COLUMNS,
    REQUIRED_COLUMNS,
)
from kelisim.organisations.importing.reading import FileError
from kelisim.organisations.models import Organisation
from kelisim.organisations.validators import normalise_bin, validate_bin

PROGRESS_EVERY = 1000
# Written as they are, after the length check.
TEXT_COLUMNS = (
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "public_phone",
    "private_phone",
    "description_kk",
    "description_ru",
    "description_en",
)

_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


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


@dataclass
class Lookups:
    """What every row is checked against, read once per file; ``first_row_of_bin`` grows as rows are read."""

    regions: dict[str, int]
    strands: dict[str, int]
    legal_forms: set[str]
    first_row_of_bin: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Lookups":
        return cls(
            regions=dict(Region.objects.values_list("code", "pk")),
            strands=dict(Strand.objects.values_list("code", "pk")),
            legal_forms=set(Organisation.LegalForm.values),
        )


@dataclass
class Row:
    """One row being checked: its cells by column name, the values to write, and where to report."""

    number: int
    cells: dict[str, str]
    report: Report
    lookups: Lookups
    values: dict = field(default_factory=dict)
    strand_ids: list[int] = field(default_factory=list)

    def cell(self, name: str) -> str:
        return self.cells.get(name, "")

    def error(self, column: str, code: str, message) -> None:
        self.report.add(self.number, column, code, message)


def _codes(text: str) -> list[str]:
    """The codes of a semicolon-separated cell, in lower case."""
    return [code for code in (part.strip().lower() for part in text.split(";")) if code]


def check_bin(row: Row) -> None:
    bin_number = normalise_bin(row.cell("bin"), from_spreadsheet=True)
    row.values["bin"] = bin_number
    if not bin_number:
        row.error("bin", "required", _("The BIN is missing."))
        return
    if bin_number == EXAMPLE_BIN:
        row.error("bin", "example_row", _("This is the template's example row: replace it with your organisations."))
        return
    try:
        validate_bin(bin_number)
    except ValidationError as error:
        row.error("bin", error.code, error.messages[0])
        return
    first_row = row.lookups.first_row_of_bin.setdefault(bin_number, row.number)
    if first_row != row.number:
        message = _("The same BIN is already in row %(row)d of this file.") % {"row": first_row}
        row.error("bin", "duplicate_bin", message)


def check_names(row: Row) -> None:
    if not any(row.cell(name) for name in NAME_COLUMNS):
        row.error("name_ru", "required", _("At least one name (name_kk, name_ru or name_en) is needed."))


def check_legal_form(row: Row) -> None:
    legal_form = row.cell("legal_form").strip().lower()
    row.values["legal_form"] = legal_form
    if not legal_form:
        row.error("legal_form", "required", _("The legal form is missing."))
    elif legal_form not in row.lookups.legal_forms:
        row.error("legal_form", "unknown_legal_form", _("Unknown legal form “%(value)s”.") % {"value": legal_form})


def check_region(row: Row) -> None:
    code = row.cell("region").strip().upper()
    row.values["region_id"] = row.lookups.regions.get(code)
    if not code:
        row.error("region", "required", _("The region is missing."))
    elif row.values["region_id"] is None:
        row.error("region", "unknown_region", _("Unknown region code “%(value)s”.") % {"value": code})


def _parse_date(text: str) -> date:
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


def check_registration_date(row: Row) -> None:
    text = row.cell("registration_date")
    row.values["registration_date"] = None
    if not text:
        return
    try:
        row.values["registration_date"] = _parse_date(text)
    except ValueError:
        message = _("“%(value)s” is not a date; write YYYY-MM-DD or DD.MM.YYYY.") % {"value": text}
        row.error("registration_date", "bad_date", message)


def _check_with(row: Row, column: str, validator, code: str, message) -> None:
    """Keep the cell as it is; report ``message`` when ``validator`` refuses it."""
    text = row.values[column] = row.cell(column)
    if not text:
        return
    try:
        validator(text)
    except ValidationError:
        row.error(column, code, message % {"value": text})


def check_public_email(row: Row) -> None:
    _check_with(row, "public_email", _email, "bad_email", _("“%(value)s” is not an email address."))


def check_private_email(row: Row) -> None:
    _check_with(row, "private_email", _email, "bad_email", _("“%(value)s” is not an email address."))


def check_website(row: Row) -> None:
    message = _("“%(value)s” is not a web address starting with http:// or https://.")
    _check_with(row, "website", _url, "bad_url", message)


def check_strands(row: Row) -> None:
    for code in _codes(row.cell("strands")):
        if code in row.lookups.strands:
            row.strand_ids.append(row.lookups.strands[code])
        else:
            row.error("strands", "unknown_strand", _("Unknown strand code “%(value)s”.") % {"value": code})


def check_working_languages(row: Row) -> None:
    languages = set()
    for code in _codes(row.cell("working_languages")):
        if code in LANGUAGE_CODES:
            languages.add(code)
        else:
            message = _("Unknown language code “%(value)s”.") % {"value": code}
            row.error("working_languages", "unknown_language", message)
    row.values["working_languages"] = ",".join(sorted(languages))


def check_lengths(row: Row) -> None:
    """Every column the model limits, last, so that a too-long cell is reported once whatever else it has."""
    for name in TEXT_COLUMNS:
        row.values[name] = row.cell(name)
    for name, limit in MAX_LENGTHS.items():
        if name in row.cells and len(row.cells[name]) > limit:
            row.error(name, "too_long", _("Longer than %(limit)d characters.") % {"limit": limit})


# Column -> its checker, in the order in which a row's errors are reported.
CHECKERS = {
    "bin": check_bin,
    "name_kk, name_ru, name_en": check_names,
    "legal_form": check_legal_form,
    "region": check_region,
    "registration_date": check_registration_date,
    "public_email": check_public_email,
    "private_email": check_private_email,
    "website": check_website,
    "strands": check_strands,
    "working_languages": check_working_languages,
    "every limited column": check_lengths,
}


def _require_columns(header: list[str]) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise FileError(
            _("A required column is missing from the first row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if not any(name in header for name in NAME_COLUMNS):
        raise FileError(_("The first row needs at least one of the columns name_kk, name_ru, name_en."))


def check_rows(header: list[str], rows, *, on_progress=None) -> Report:
    """Check every row of a file; the report holds the rows to write and every error found."""
    _require_columns(header)
    positions = {name: header.index(name) for name in COLUMN_NAMES if name in header}
    lookups = Lookups.load()
    report = Report(total=len(rows))
    for index, (number, cells) in enumerate(rows, start=1):
        by_column = {name: (cells[position] if position < len(cells) else "") for name, position in positions.items()}
        row = Row(number=number, cells=by_column, report=report, lookups=lookups)
        errors_before = len(report.errors)
        for checker in CHECKERS.values():
            checker(row)
        if len(report.errors) == errors_before:
            report.rows.append(CheckedRow(row=number, values=row.values, strand_ids=sorted(set(row.strand_ids))))
        if on_progress and index % PROGRESS_EVERY == 0:
            on_progress(index)
    return report
