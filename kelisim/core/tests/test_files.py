import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kelisim.core import files


def office_file(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


def test_files_are_typed_by_their_content_not_their_name():
    assert files.sniff_content_type(SimpleUploadedFile("a.txt", b"%PDF-1.7\n...")) == files.PDF
    assert files.sniff_content_type(SimpleUploadedFile("a.pdf", b"MZ\x90\x00 an executable")) is None
    assert files.sniff_content_type(SimpleUploadedFile("x.zip", office_file("word/document.xml"))) == files.DOCX
    assert files.sniff_content_type(SimpleUploadedFile("x.zip", office_file("xl/workbook.xml"))) == files.XLSX
    assert files.sniff_content_type(SimpleUploadedFile("x.docx", b"PK\x03\x04 broken archive")) is None
    assert files.sniff_content_type(SimpleUploadedFile("p", b"\x89PNG\r\n\x1a\n....")) == files.PNG


def test_sniffing_leaves_the_file_at_its_start():
    upload = SimpleUploadedFile("x.docx", office_file("word/document.xml"))
    files.sniff_content_type(upload)
    assert upload.read(2) == b"PK"


def bomb_xlsx(expanded_mb: int = 200) -> bytes:
    """A workbook whose sheet is ``expanded_mb`` MB of one repeated character: about 200 KB on disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"0" * (1024 * 1024)
            for _ in range(expanded_mb):
                sheet.write(chunk)
    return buffer.getvalue()


def test_a_212_kb_xlsx_that_expands_to_200_mb_is_refused_before_any_parser_opens_it():
    import time

    content = bomb_xlsx()
    assert len(content) < 400 * 1024
    upload = SimpleUploadedFile("registry.xlsx", content)
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        files.SPREADSHEET_IMPORT.check(upload)
    assert time.perf_counter() - started < 1
    assert refused.value.code == "archive_too_large"
    assert "would expand to 200 MB" in refused.value.messages[0]


def test_a_real_office_file_passes_the_archive_limits():
    assert files.DOCUMENTS.check(SimpleUploadedFile("plan.docx", office_file("word/document.xml"))) == files.DOCX


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.pdf", b"<html><script>alert(document.cookie)</script></html>"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("script.js", b"fetch('/en/consultation/triage/').then(r => r.text())"),
        ("binary.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64),
    ],
)
def test_documents_are_typed_by_content_and_others_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        files.DOCUMENTS.check(SimpleUploadedFile(name, content))
    assert refused.value.code == "file_type"
    assert name in refused.value.messages[0]


def test_size_caps_and_empty_files():
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        files.COVER_IMAGE.check(SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * files.MB)))
    with pytest.raises(ValidationError, match="empty"):
        files.DOCUMENTS.check(SimpleUploadedFile("empty.pdf", b""))


def test_a_registry_import_takes_utf8_csv_but_not_markup():
    assert files.REGISTRY_IMPORT.check(SimpleUploadedFile("r.csv", "bin;name\n1;Ақ жол\n".encode())) == files.CSV
    with pytest.raises(ValidationError):
        files.REGISTRY_IMPORT.check(SimpleUploadedFile("r.csv", b"<html><script>alert(1)</script>"))
    with pytest.raises(ValidationError):
        files.SPREADSHEET_IMPORT.check(SimpleUploadedFile("r.xlsx", b"bin;name\n1;x\n"))


def test_stored_files_get_a_random_name_and_the_download_keeps_the_given_one():
    name = files.DOCUMENTS.upload_to(None, "../../etc/<script>.pdf")
    assert re.fullmatch(r"files/\d{4}/\d{2}/[0-9a-f]{32}", name)
    assert files.download_name('report "final".pdf', files.PDF) == "report final.pdf"
    assert files.download_name("page.html", files.OCTET_STREAM) == "page.html"
    assert files.download_name("photo.pdf", files.PNG) == "photo.png"


def test_the_expansion_ratio_counts_only_for_large_contents():
    # 20 MB of one character (about 20 KB stored, ratio about 1,000) is refused by the ratio, 5 MB is not
    with pytest.raises(ValidationError, match="would expand to 20 MB"):
        files.SPREADSHEET_IMPORT.check(SimpleUploadedFile("r.xlsx", bomb_xlsx(20)))
    assert files.SPREADSHEET_IMPORT.check(SimpleUploadedFile("r.xlsx", bomb_xlsx(5))) == files.XLSX
