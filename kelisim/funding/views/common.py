"""What the funding pages share: refusals shown as messages, and file downloads."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse


def message_errors(request, error: ValidationError) -> None:
    """A refusal about the whole object (no form to show it on): one message per reason."""
    for message in error.messages:
        messages.error(request, message)


def download(stored, content_type: str, filename: str) -> FileResponse:
    """A stored file as an attachment, with the type it was checked as (never sniffed by the browser)."""
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_filename(prefix, original_name: str) -> str:
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", original_name)[-100:] or "file"
    return f"{prefix}-{safe_name}"
