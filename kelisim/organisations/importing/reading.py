"""A CSV or XLSX file into its header and its rows of text, numbered as the person sees them."""

import csv
import io
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, a required column missing)."""


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
