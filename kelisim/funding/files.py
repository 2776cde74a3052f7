"""Uploaded files are typed by their content, never by their name or the browser's claim.

A file called report.pdf that is really an executable is refused; a DOCX or XLSX is a ZIP whose
parts say which it is.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
ALLOWED_TYPES = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WebP"}


def sniff_content_type(uploaded) -> str | None:
    """The type the bytes show, or None when they are none of the accepted kinds."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def check_upload(uploaded) -> str:
    """Return the sniffed content type or raise a ValidationError that says what is wrong."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB.")
            % {"name": uploaded.name, "limit": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": uploaded.name}, code="empty")
    content_type = sniff_content_type(uploaded)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a PDF, DOCX, XLSX or image file (we look at its content, not its name).")
            % {"name": uploaded.name},
            code="file_type",
        )
    return content_type
