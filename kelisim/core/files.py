"""Uploaded files are typed by their content, never by their name or the browser's claim.

A file called report.pdf that is really an executable is refused; a DOCX or XLSX is a ZIP whose
parts say which it is. Every app that accepts uploads (attachments, applications, cover images)
asks ``sniff_content_type`` and keeps the answer.
"""

import zipfile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})
DOCUMENT_TYPES = frozenset({PDF, DOCX, XLSX})
LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WebP"}


def sniff_content_type(uploaded) -> str | None:
    """The type the bytes of ``uploaded`` (a file object) show, or None when none of the known kinds.

    The file's position is left at the start.
    """
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
