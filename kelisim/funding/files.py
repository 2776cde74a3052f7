"""Files attached to applications and milestone reports: the platform's document policy (any document or
image kind, up to 10 MB; ``core.files.DOCUMENTS``)."""

from kelisim.core.files import DOCUMENTS


def check_upload(uploaded) -> str:
    """Return the sniffed content type or raise a ValidationError that says what is wrong."""
    return DOCUMENTS.check(uploaded)
