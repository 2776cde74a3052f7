import io
import zipfile

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
