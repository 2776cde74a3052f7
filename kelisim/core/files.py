"""One policy for every uploaded file: typed by its content, capped in size, stored under a random name,
served only through a view that checked who may see it.

A file called report.pdf that is really an executable or a web page is refused; a DOCX or XLSX is a ZIP
whose parts say which it is, and what it would expand to is checked before any parser opens it (a 200 KB
spreadsheet that expands to 200 MB is refused in milliseconds). Each kind of upload is a ``Policy`` (what
types, how large, under which folder); every model ``FileField`` uses its policy's ``upload_to`` and
``validator`` (a test walks every model to make sure), and services call ``Policy.check`` before they
store anything. The name a person gave the file is kept in a column, for display and as the download's
name only; the stored object's name is random and has no extension.

Stored files are read and written only through Django's storage API (local disk or object storage alike),
and never served from a public address: ``file_response`` answers with ``Content-Disposition: attachment``
(raster images may be ``inline`` where a policy allows it), the type the bytes show, ``nosniff`` and a
sandboxing Content-Security-Policy, so that even a file stored before these checks cannot run a script.
"""

import codecs
import posixpath
import re
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
CSV = "text/csv"
OCTET_STREAM = "application/octet-stream"
IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})
DOCUMENT_TYPES = frozenset({PDF, DOCX, XLSX})
ARCHIVE_TYPES = frozenset({DOCX, XLSX})
LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WebP", CSV: "CSV"}
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg", GIF: ".gif", WEBP: ".webp"}
EXTENSIONS[CSV] = ".csv"

MB = 1024 * 1024
# What a DOCX or XLSX may expand to. A 25,000-row registry file (1.8 MB) expands 18 times, to 33 MB; the
# attack in issue 18 (212 KB) expanded about 1,000 times, to 200 MB. The ratio counts above 10 MB only.
MAX_EXPANDED_BYTES = 100 * MB
MAX_EXPANSION_RATIO = 100
RATIO_FLOOR_BYTES = 10 * MB
MAX_ARCHIVE_MEMBERS = 2000
CSV_SNIFF_BYTES = 64 * 1024

# What a file response says about itself: never rendered as a page, never typed by the browser.
SANDBOX_CSP = "sandbox; default-src 'none'"


def sniff_content_type(uploaded) -> str | None:
    """The type the bytes of ``uploaded`` (a file object) show, or None when none of the known binary kinds
    (CSV, which has no signature, is recognised by ``Policy.check`` where a policy takes it).

    The file's position is left at the start.
    """
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = _sniff_head(head)
    if kind != "zip":
        return kind
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def _sniff_head(head: bytes) -> str | None:
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
        return "zip"
    return None


def archive_problem(uploaded) -> str | None:
    """Why this ZIP-based file (DOCX, XLSX) must not be opened, or None. Reads only the archive's directory.

    Python's zipfile (which openpyxl uses) never inflates a member past the size its directory declares,
    so checking the declared sizes bounds what any parser will read.
    """
    uploaded.seek(0, 2)
    stored = max(uploaded.tell(), 1)
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("The file is damaged: it cannot be read as a DOCX or XLSX file.")
    finally:
        uploaded.seek(0)
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return ngettext(
            "The file has more than %(count)d part, which is not a real DOCX or XLSX file.",
            "The file has more than %(count)d parts, which is not a real DOCX or XLSX file.",
            MAX_ARCHIVE_MEMBERS,
        ) % {"count": MAX_ARCHIVE_MEMBERS}
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES or (expanded > RATIO_FLOOR_BYTES and expanded > MAX_EXPANSION_RATIO * stored):
        return _(
            "The file would expand to %(expanded)d MB when opened (at most %(limit)d MB and %(ratio)d times its "
            "size are accepted). Save it again without unused rows, columns or images, or split it."
        ) % {"expanded": round(expanded / MB), "limit": MAX_EXPANDED_BYTES // MB, "ratio": MAX_EXPANSION_RATIO}
    return None


def _is_csv_text(uploaded) -> bool:
    """UTF-8 text without NUL bytes, not starting like markup, whose first line names columns separated by
    commas or semicolons: a CSV file as far as bytes can tell."""
    uploaded.seek(0)
    head = uploaded.read(CSV_SNIFF_BYTES)
    uploaded.seek(0)
    if b"\x00" in head:
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    first_line = text.lstrip().split("\n", 1)[0]
    return not first_line.startswith("<") and ("," in first_line or ";" in first_line)


@deconstructible
class RandomName:
    """``upload_to`` of every file field: ``<folder>/<year>/<month>/<random hex>``, no trace of the name given."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


@deconstructible
class PolicyValidator:
    """The validator of every file field: a newly uploaded file must pass its policy (stored ones are
    not read again)."""

    def __init__(self, policy: str):
        self.policy = policy

    def __call__(self, value) -> None:
        if not value or getattr(value, "_committed", True):
            return
        POLICIES[self.policy].check(value.file)

    def __eq__(self, other):
        return isinstance(other, PolicyValidator) and other.policy == self.policy


@dataclass(frozen=True)
class Policy:
    key: str
    folder: str
    types: frozenset[str]
    max_bytes: int
    inline_images: bool = False
    upload_to: RandomName = field(init=False, compare=False)
    validator: PolicyValidator = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "upload_to", RandomName(self.folder))
        object.__setattr__(self, "validator", PolicyValidator(self.key))

    def field_options(self) -> dict:
        """What a model ``FileField`` under this policy is declared with."""
        return {"upload_to": self.upload_to, "validators": [self.validator], "max_length": 255}

    def type_labels(self) -> list[tuple[str, str]]:
        return [(kind, label) for kind, label in LABELS.items() if kind in self.types]

    def labels(self) -> str:
        return ", ".join(label for _kind, label in self.type_labels())

    def check(self, uploaded, *, name: str = "") -> str:
        """The sniffed content type of ``uploaded``, or a ValidationError that says what is wrong (naming the
        file ``name``, by default the uploaded file's own name)."""
        name = name or posixpath.basename(getattr(uploaded, "name", "") or "") or _("The file")
        size = uploaded.size
        if not size:
            raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
        if size > self.max_bytes:
            raise ValidationError(
                _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": self.max_bytes // MB},
                code="too_large",
            )
        kind = sniff_content_type(uploaded)
        if kind is None and CSV in self.types and _is_csv_text(uploaded):
            kind = CSV
        if kind not in self.types:
            raise ValidationError(
                _("%(name)s is not one of the accepted kinds (%(kinds)s): we look at its content, not its name.")
                % {"name": name, "kinds": self.labels()},
                code="file_type",
            )
        if kind in ARCHIVE_TYPES and (problem := archive_problem(uploaded)):
            raise ValidationError(problem, code="archive_too_large")
        return kind


DOCUMENTS = Policy("documents", "files", frozenset({PDF, DOCX, XLSX, PNG, JPEG, GIF, WEBP}), 10 * MB)
SPREADSHEET_IMPORT = Policy("spreadsheet_import", "imports", frozenset({XLSX}), 20 * MB)
REGISTRY_IMPORT = Policy("registry_import", "imports", frozenset({XLSX, CSV}), 20 * MB)
COVER_IMAGE = Policy("cover_image", "images", IMAGE_TYPES, 5 * MB, inline_images=True)
SCANS = Policy("scans", "scans", frozenset({PDF, PNG, JPEG}), 10 * MB)
POLICIES = {policy.key: policy for policy in (DOCUMENTS, SPREADSHEET_IMPORT, REGISTRY_IMPORT, COVER_IMAGE, SCANS)}


def policy_of(model_field) -> Policy | None:
    """The policy a model FileField is under, or None (which the policy test refuses)."""
    validators = [v for v in model_field.validators if isinstance(v, PolicyValidator)]
    if len(validators) != 1 or validators[0].policy not in POLICIES:
        return None
    policy = POLICIES[validators[0].policy]
    return policy if model_field.upload_to == policy.upload_to else None


def given_name(value, current: str = "") -> str:
    """The name a person gave a file just uploaded (for display and download only), ``current`` for a file
    already stored, "" when there is none. ``value`` is an uploaded file or a model's FieldFile."""
    if not value:
        return ""
    if getattr(value, "_committed", False):
        return current
    return posixpath.basename((value.name or "").replace("\\", "/"))[-255:]


def check_stored(field_file, policy: Policy, *, name: str = "") -> str:
    """``Policy.check`` on a file already in storage (read through the storage API), before a parser opens it."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        return policy.check(handle, name=name or _("The file"))


def download_name(original_name: str, content_type: str, fallback: str = "file") -> str:
    """A safe name for the download: the name given at upload, with the extension of what the file really is."""
    stem = posixpath.basename((original_name or "").replace("\\", "/"))
    stem = re.sub(r"[\x00-\x1f\x7f\"\\/]", "", stem).strip(" .") or fallback
    base, _dot, extension = stem.rpartition(".")
    expected = EXTENSIONS.get(content_type, "")
    if base and f".{extension.lower()}" in set(EXTENSIONS.values()):
        stem = base
    return f"{stem[:120]}{expected}"


def file_response(
    field_file, *, original_name: str = "", fallback: str = "file", inline_image: bool = False, public: bool = False
) -> FileResponse:
    """The stored file for a view that already checked who may see it.

    Typed by its first bytes (a file stored before typing was enforced and not one of the accepted kinds is
    sent as ``application/octet-stream``); ``attachment`` unless ``inline_image`` and the bytes are a raster
    image; ``nosniff``; a sandbox CSP so that nothing in it can run as this site. ``public`` only for what
    anyone may see (shared caches may keep it).
    """
    if not field_file:
        raise Http404
    storage, name = field_file.storage, field_file.name
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    head = handle.read(16)
    handle.seek(0)
    content_type = _sniff_head(head)
    if content_type == "zip":
        content_type = sniff_content_type(handle) or OCTET_STREAM
    content_type = content_type or OCTET_STREAM
    inline = inline_image and content_type in IMAGE_TYPES
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, download_name(original_name, content_type, fallback)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-cache"
    return response
