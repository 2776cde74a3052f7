"""The columns an import file may have (the header of the downloadable templates), in their order."""

import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kelisim.core.exports import csv_lines
from kelisim.organisations.models import PROFILE_FIELDS, Organisation


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str


COLUMNS = [
    Column("bin", True, _("Business identification number: 12 digits, the last a check digit."), "000000000000"),
    Column(
        "name_kk",
        False,
        _("Name in Kazakh. At least one of the three names is required."),
        "ҮЛГІ: осы жолды ауыстырыңыз",
    ),
    Column("name_ru", False, _("Name in Russian."), "ОБРАЗЕЦ: замените эту строку"),
    Column("name_en", False, _("Name in English."), "EXAMPLE: replace this row"),
    Column("legal_form", True, _("Legal form code (see the list below)."), "public_association"),
    Column("region", True, _("Region code, ISO 3166-2:KZ (see the list below)."), "KZ-31"),
    Column("registration_date", False, _("Date of registration: YYYY-MM-DD or DD.MM.YYYY."), "2009-09-07"),
    Column("address", False, _("Postal address."), "Тараз, ул. Толе би, 1"),
    Column("strands", False, _("Programme strand codes, separated by semicolons."), "youth;prisons"),
    Column("working_languages", False, _("Language codes kk, ru, en, separated by semicolons."), "kk;ru"),
    Column("public_email", False, _("Public email address."), "info@ngo.example.kz"),
    Column("public_phone", False, _("Public phone number."), "+7 7262 00 00 00"),
    Column("private_email", False, _("Email seen only by the organisation's admins and officers."), ""),
    Column("private_phone", False, _("Phone seen only by the organisation's admins and officers."), ""),
    Column("website", False, _("Website address starting with http:// or https://."), "https://ngo.example.kz"),
    Column("description_kk", False, _("Description in Kazakh."), ""),
    Column("description_ru", False, _("Description in Russian."), "Межконфессиональный диалог в Жамбылской области."),
    Column("description_en", False, _("Description in English."), ""),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
NAME_COLUMNS = ("name_kk", "name_ru", "name_en")
# Seen only by the organisation's admins and officers: never in a public export.
PRIVATE_COLUMNS = ("private_email", "private_phone")
MAX_LENGTHS = {
    f.name: f.max_length
    for f in Organisation._meta.concrete_fields
    if getattr(f, "max_length", None) and f.name in COLUMN_NAMES
}
# An import writes everything the file describes: the profile an NGO admin keeps.
WRITTEN_FIELDS = list(PROFILE_FIELDS)


# The templates' example row: a BIN that no organisation may be imported under (checks.check_bin refuses it), so an
# unchanged template can never create or rename a real record (issue 15: the old example carried a real NGO's BIN).
EXAMPLE_BIN = COLUMNS[0].example


def field_labels() -> dict[str, str]:
    """Column -> its label, for the preview's field-by-field differences."""
    labels = {name: str(Organisation._meta.get_field(name).verbose_name) for name in WRITTEN_FIELDS}
    labels["strands"] = str(Organisation._meta.get_field("focus_strands").verbose_name)
    return labels


def template_rows() -> list[list[str]]:
    return [COLUMN_NAMES, [column.example for column in COLUMNS]]


def template_csv() -> str:
    header, example = template_rows()
    return "".join(csv_lines(header, [example]))


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    for row in template_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
