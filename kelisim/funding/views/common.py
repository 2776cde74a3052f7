"""What the funding pages share: refusals shown as messages, and file downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse

from kelisim.core.files import file_response


def message_errors(request, error: ValidationError) -> None:
    """A refusal about the whole object (no form to show it on): one message per reason."""
    for message in error.messages:
        messages.error(request, message)


def download(stored, original_name: str, fallback: str) -> FileResponse:
    """A stored file as an attachment for a view that checked who may see it (``core.files.file_response``)."""
    return file_response(stored, original_name=original_name, fallback=fallback)
