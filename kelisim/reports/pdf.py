"""Reports as PDF, rendered by WeasyPrint from the same template as the page, with the DejaVu fonts that ship
with Kelisim (``reports/static/reports/fonts``, they carry the Kazakh letters), and kept as files.

A PDF is stored once per report, language and *stamp* (a short description of the data the report depends
on, see ``consultation.stamp``): while nothing changes the stored file is served; after a change the next
file has another name. ``tasks.render_reports`` builds them in the background after each change.
"""

import hashlib
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

FONT_DIR = Path(__file__).resolve().parent / "static" / "reports" / "fonts"


def font_faces() -> str:
    """@font-face rules pointing at the shipped font files (absolute file URLs for WeasyPrint)."""
    regular = finders.find("reports/fonts/DejaVuSans.ttf") or str(FONT_DIR / "DejaVuSans.ttf")
    bold = finders.find("reports/fonts/DejaVuSans-Bold.ttf") or str(FONT_DIR / "DejaVuSans-Bold.ttf")
    return (
        f'@font-face {{ font-family: "Kelisim Sans"; src: url("{Path(regular).as_uri()}"); font-weight: normal; }}\n'
        f'@font-face {{ font-family: "Kelisim Sans"; src: url("{Path(bold).as_uri()}"); font-weight: bold; }}\n'
    )


def render_pdf(template: str, context: dict, *, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "pdf": True, "font_faces": font_faces()})
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf()


def stored_name(kind: str, key: str, language: str, stamp: str) -> str:
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    return f"reports/{kind}/{key}-{language}-{digest}.pdf"


def cached_pdf(kind: str, key: str, language: str, stamp: str, build) -> bytes:
    """The stored PDF for this stamp, or a new one built by ``build(language)`` and stored."""
    name = stored_name(kind, key, language, stamp)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    content = build(language)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(content))
    return content
