"""No cell that someone typed runs as a formula in the spreadsheet of whoever opens an export."""

import io

import pytest
from openpyxl import load_workbook

from kelisim.core.exports import csv_lines, spreadsheet_safe, xlsx_bytes
from kelisim.organisations.tests.factories import OrganisationFactory

INJECTIONS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3+cmd|x", "@SUM(1+1)", "\t=1"]


@pytest.mark.parametrize("typed", INJECTIONS)
def test_text_a_spreadsheet_would_run_is_shown_as_typed(typed):
    assert spreadsheet_safe(typed) == "'" + typed


@pytest.mark.parametrize("value", ["+7 701 123 45 67", "-12.5", "Accord", "", 42, -3, None])
def test_numbers_phone_numbers_and_ordinary_text_are_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_csv_rows_are_neutralised_and_the_header_kept():
    lines = list(csv_lines(["name", "phone"], [["=1+1", "+7 701 000 00 00"]]))
    assert lines[1] == "'=1+1,+7 701 000 00 00\r\n"


def test_xlsx_cells_starting_with_equals_are_text_not_formulas():
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["title"], [['=HYPERLINK("x")']]))).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("x")'


@pytest.mark.django_db
def test_the_public_organisation_export_neutralises_a_formula_in_a_name(client):
    OrganisationFactory(name_ru='=HYPERLINK("http://evil.example";"Подробнее")')
    response = client.get("/en/organisations/export.csv")
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in content
    assert ",=HYPERLINK" not in content
