"""The rules an activity report's fields follow, whoever writes them: the report form, the XLSX import and the
API call the checks here, so that each rule is written once and says the same thing everywhere.

A report arrives as cells named like the import file's columns (column name -> raw value). Each column has
one checker (``COLUMN_CHECKS``) that turns its cell into a field of ``ActivityReport`` or raises ``Problem``;
``check_report`` runs them all (every column, not only the first wrong one) and then the rules that tie two
fields together (``cross_field_problems``), which the report form and ``ActivityReport.clean`` apply to their
own typed values too.

Lecturers are given by their ID on the expert roster (the number in the address of the expert's page, also
listed on the template's "codes" sheet), partner organisations by BIN (they must be in the registry), and
the contract milestone as "<contract number>/<milestone number>" (the milestone's number on the contract,
as the report form's milestone list shows it); the milestone must belong to a contract of the reporting
organisation.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    MAX_COUNT,
    MAX_REACH,
    ActivityReport,
    ActivityType,
    Audience,
    VenueType,
)
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.links import is_web_url, link_list
from kelisim.core.models import Region, Strand
from kelisim.funding.models import Contract, Milestone
from kelisim.organisations.models import Expert, Organisation

REQUIRED_COLUMNS = ("activity_type", "title", "start_date", "region", "venue_type", "strand")
MAX_TITLE = 300
REACH_FIELDS = ("online_posts", "online_views", "online_shares")


class Problem(Exception):
    """One thing wrong with one field (``column`` is the import's column name, the form's and API's field)."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.column, self.message = column, message


def as_validation_error(problems: Iterable[Problem]) -> ValidationError:
    """The problems as one ValidationError by field, for services, forms and the API's error handler."""
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.column, []).append(str(problem.message))
    return ValidationError(by_field)


def milestone_code(contract_number: str, position: int) -> str:
    """How a milestone is written in the import file and the API and shown in the form: "KLS-2026-003-001/2"."""
    return f"{contract_number}/{position}"


def foreign_milestone() -> Problem:
    return Problem(_("This milestone belongs to another organisation's contract."), "milestone")


# --- Rules between fields ----------------------------------------------------------------------------
def cross_field_problems(fields: Mapping) -> list[Problem]:
    """The dates' order and an online campaign's venue, on a report's typed fields."""
    problems = []
    start, end = fields.get("start_date"), fields.get("end_date")
    if start and end and end < start:
        problems.append(Problem(_("The end date cannot be before the start date."), "end_date"))
    venue = fields.get("venue_type")
    if fields.get("activity_type") == ActivityType.ONLINE_CAMPAIGN and venue and venue != VenueType.ONLINE:
        problems.append(Problem(_("An online campaign takes place online."), "venue_type"))
    return problems


def milestone_problems(*, milestone, organisation_id: int) -> list[Problem]:
    if milestone is not None and milestone.contract.application.organisation_id != organisation_id:
        return [foreign_milestone()]
    return []


# --- What cells refer to -----------------------------------------------------------------------------
class References:
    """What cells refer to, each read once when first needed (partners per distinct BIN: the registry is
    large); the milestones are those of ``organisation_id``'s contracts."""

    def __init__(self, organisation_id: int | None = None):
        self.organisation_id = organisation_id
        self._partners: dict[str, int | None] = {}
        self._other_contracts: dict[str, bool] = {}

    @cached_property
    def regions(self) -> dict[str, int]:
        return {region.code: region.pk for region in Region.objects.all()}

    @cached_property
    def strands(self) -> dict[str, int]:
        return {strand.code: strand.pk for strand in Strand.objects.all()}

    @cached_property
    def plan_items(self) -> dict[str, int]:
        from kelisim.plans.models import TrackedItem

        return dict(TrackedItem.objects.filter(first_published_in__isnull=False).values_list("code", "pk"))

    @cached_property
    def experts(self) -> set[int]:
        return set(Expert.objects.filter(is_listed=True).values_list("pk", flat=True))

    @cached_property
    def milestones(self) -> dict[tuple[str, int], int]:
        rows = Milestone.objects.filter(contract__application__organisation_id=self.organisation_id).values_list(
            "contract__number", "position", "pk"
        )
        found: dict[tuple[str, int], int] = {}
        for number, position, pk in rows.order_by("pk"):
            found.setdefault((number.casefold(), position), pk)
        return found

    @cached_property
    def own_contracts(self) -> set[str]:
        return {number for number, _position in self.milestones}

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


# --- One checker per column --------------------------------------------------------------------------
def text(value) -> str:
    """A cell as text (a whole number typed into a number cell loses its ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _tokens(value) -> list[str]:
    return [token.strip() for token in text(value).replace(",", ";").split(";") if token.strip()]


def _unknown_code(code: str) -> Problem:
    return Problem(_("Unknown code “%(value)s” (see the Codes sheet).") % {"value": code[:40]})


def check_date(value, _refs=None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    raise Problem(_("“%(value)s” is not a date (use YYYY-MM-DD or DD.MM.YYYY).") % {"value": written[:40]})


def count_checker(maximum: int) -> Callable:
    def check_count(value, _refs=None) -> int:
        if value in (None, ""):
            return 0
        try:
            number = float(value) if not isinstance(value, int) else value
        except (TypeError, ValueError):
            raise Problem(_("“%(value)s” is not a whole number.") % {"value": text(value)[:40]}) from None
        if number != int(number) or number < 0:
            raise Problem(_("Enter a whole number, 0 or more."))
        if number > maximum:
            raise Problem(_("The number is larger than %(max)s.") % {"max": maximum})
        return int(number)

    return check_count


def choice_checker(allowed) -> Callable:
    def check_choice(value, _refs=None) -> str:
        code = text(value)
        if code not in allowed:
            raise _unknown_code(code)
        return code

    return check_choice


def code_list_checker(allowed) -> Callable:
    def check_code_list(value, _refs=None) -> str:
        codes = _tokens(value)
        unknown = [code for code in codes if code not in allowed]
        if unknown:
            raise _unknown_code(unknown[0])
        return ",".join(dict.fromkeys(codes))

    return check_code_list


def reference_checker(table: str, message: Callable[[str], str] | None = None) -> Callable:
    """A code looked up in one of ``References``' tables; an empty cell is no reference (None)."""

    def check_reference(value, refs: References) -> int | None:
        code = text(value)
        if code and code not in getattr(refs, table):
            raise Problem(message(code)) if message else _unknown_code(code)
        return getattr(refs, table).get(code)

    return check_reference


def length_checker(field: str) -> Callable:
    """The cell as text, refused when longer than the report's field allows (the form's and the API's limit)."""
    limit = ActivityReport._meta.get_field(field).max_length

    def check_length(value, _refs=None) -> str:
        written = text(value)
        if len(written) > limit:
            raise Problem(
                ngettext(
                    "At most %(limit)d character (this cell has %(count)d).",
                    "At most %(limit)d characters (this cell has %(count)d).",
                    limit,
                )
                % {"limit": limit, "count": len(written)}
            )
        return written

    return check_length


def check_title(value, _refs=None) -> str:
    title = text(value)
    if len(title) > MAX_TITLE:
        raise Problem(_("At most 300 characters."))
    return title


def check_lecturers(value, refs: References) -> list[int]:
    ids = []
    for token in _tokens(value):
        if not token.isdigit():
            raise Problem(
                _("“%(value)s” is not an expert's ID: write the number from the expert roster.") % {"value": token[:40]}
            )
        if int(token) not in refs.experts:
            raise Problem(_("No expert on the roster has the ID %(value)s.") % {"value": token[:40]})
        ids.append(int(token))
    return list(dict.fromkeys(ids))


def check_partners(value, refs: References) -> list[int]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # One BIN in a number cell: the spreadsheet dropped its leading zeros.
        tokens = [text(value).zfill(12)]
    else:
        tokens = [token.replace(" ", "") for token in _tokens(value)]
    ids = []
    for token in tokens:
        if len(token) != 12 or not token.isdigit():
            raise Problem(_("“%(value)s” is not a BIN (12 digits).") % {"value": token[:40]})
        pk = refs.partner(token)
        if pk is None:
            raise Problem(_("No organisation in the registry has the BIN %(value)s.") % {"value": token})
        ids.append(pk)
    return list(dict.fromkeys(ids))


def check_milestone(value, refs: References) -> int | None:
    written = text(value)
    if not written:
        return None
    number, _slash, position = written.rpartition("/")
    number, position = number.strip(), position.strip()
    if not number or not position.isdigit():
        raise Problem(
            _("Write the contract number, a slash and the milestone's number, for example KLS-2026-003-001/2.")
        )
    key = (number.casefold(), int(position))
    if key in refs.milestones:
        return refs.milestones[key]
    if key[0] in refs.own_contracts:
        raise Problem(
            _("Contract %(contract)s has no milestone number %(number)s.")
            % {"contract": number[:40], "number": position[:10]}
        )
    if refs.contract_elsewhere(number):
        raise foreign_milestone()
    raise Problem(_("Your organisation has no contract numbered “%(value)s”.") % {"value": number[:40]})


def partner_ids(value) -> list[int]:
    """Partner organisations written as BINs separated by semicolons (the report form's field); raises Problem."""
    return check_partners(value, References())


def check_links(value, _refs=None) -> str:
    """Links to materials: web addresses only (http or https; a javascript: or data: address is refused), one
    per line as stored."""
    links = link_list(text(value))
    for link in links:
        if not is_web_url(link):
            raise Problem(
                _("“%(value)s” is not a web address starting with http:// or https://.") % {"value": link[:200]}
            )
    return "\n".join(links)


@dataclass(frozen=True)
class ColumnCheck:
    column: str
    field: str  # the ActivityReport field (or "lecturers"/"partners": lists of ids) it fills
    check: Callable  # (cell, References) -> value, or raises Problem
    default: object = None  # the value kept when the cell is wrong (the report is not written then)


COLUMN_CHECKS = (
    ColumnCheck("activity_type", "activity_type", choice_checker(ActivityType.values)),
    ColumnCheck("title", "title", check_title, ""),
    ColumnCheck("description", "description", length_checker("description"), ""),
    ColumnCheck("start_date", "start_date", check_date),
    ColumnCheck("end_date", "end_date", check_date),
    ColumnCheck("region", "region_id", reference_checker("regions")),
    ColumnCheck("settlement", "settlement", length_checker("settlement"), ""),
    ColumnCheck("venue_type", "venue_type", choice_checker(VenueType.values)),
    ColumnCheck("languages", "languages", code_list_checker(LANGUAGE_CODES), ""),
    ColumnCheck("audiences", "audiences", code_list_checker(Audience.values), ""),
    ColumnCheck("strand", "strand_id", reference_checker("strands")),
    ColumnCheck(
        "plan_item",
        "plan_item_id",
        reference_checker(
            "plan_items", lambda code: _("No published plan item has the ID “%(value)s”.") % {"value": code[:40]}
        ),
    ),
    *(ColumnCheck(name, name, count_checker(MAX_COUNT), 0) for name in ATTENDANCE_FIELDS),
    *(
        ColumnCheck(name, name, count_checker(MAX_REACH), 0)
        for name in ("online_posts", "online_views", "online_shares")
    ),
    ColumnCheck("material_links", "material_links", check_links, ""),
    ColumnCheck("lecturers", "lecturers", check_lecturers, []),
    ColumnCheck("partners", "partners", check_partners, []),
    ColumnCheck("milestone", "milestone_id", check_milestone),
)


def check_cells(values: Mapping, refs: References) -> tuple[dict, list[Problem]]:
    """The fields of one report written as cells (column name -> value), or every problem with them. The
    fields come back ready for ``services.create_report``, with ``lecturers`` and ``partners`` as lists of ids."""
    problems = [
        Problem(_("This column is required."), column) for column in REQUIRED_COLUMNS if text(values.get(column)) == ""
    ]
    data = {}
    for check in COLUMN_CHECKS:
        try:
            data[check.field] = check.check(values.get(check.column), refs)
        except Problem as problem:
            problems.append(Problem(problem.message, check.column))
            data[check.field] = check.default
    data["end_date"] = data["end_date"] or data["start_date"]
    problems.extend(cross_field_problems(data))
    return data, problems


def check_report(values: Mapping, *, organisation_id: int) -> tuple[dict, list[Problem]]:
    """One report for ``organisation_id`` written as the import's cells (the API files reports through this)."""
    return check_cells(values, References(organisation_id))
