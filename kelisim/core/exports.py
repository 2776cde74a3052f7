"""The one way to stream a CSV file: rows are written as they are read, so a large export never sits in
memory. Every CSV starts with a byte-order mark so that spreadsheet programs read it as UTF-8. And the one way
to write a one-sheet spreadsheet (XLSX) from the same header and rows. Neither lets a cell that someone typed
run as a formula in the spreadsheet of whoever opens the file."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

BYTE_ORDER_MARK = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet program reads a cell starting with one of these as a formula (=HYPERLINK(...), DDE calls).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Signed numbers and phone numbers ("+7 701 123 45 67", "-12.5") carry no function call; they stay as they are.
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ().+-]*")


def spreadsheet_safe(value):
    """A text cell that a spreadsheet would run as a formula, prefixed with an apostrophe so it is shown as
    typed (OWASP's advice for CSV injection); numbers, dates and other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose ``write`` hands the line back, for ``csv.writer`` to produce strings."""

    def write(self, value):
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A streamed ``text/csv`` attachment named ``filename``; ``rows`` are sequences in ``header``'s order."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """An XLSX file with one sheet: ``header`` on the first line, then one line per row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula (openpyxl would store it as one)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    """An XLSX attachment named ``filename``."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
