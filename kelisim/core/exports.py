"""The one way to stream a CSV file: rows are written as they are read, so a large export never sits in
memory. Every CSV starts with a byte-order mark so that spreadsheet programs read it as UTF-8. And the one way
to write a one-sheet spreadsheet (XLSX) from the same header and rows."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

BYTE_ORDER_MARK = "\ufeff"


class _Echo:
    """A file-like object whose ``write`` hands the line back, for ``csv.writer`` to produce strings."""

    def write(self, value):
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
