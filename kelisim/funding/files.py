"""Files attached to applications and milestone reports: any document or image kind, up to 10 MB."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kelisim.core.files import DOCX, GIF, JPEG, LABELS, PDF, PNG, WEBP, XLSX, sniff_content_type

MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {kind: LABELS[kind] for kind in (PDF, DOCX, XLSX, PNG, JPEG, GIF, WEBP)}


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
