from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_COVER_BYTES = 5 * 1024 * 1024
# Checked by content, not by name: the first bytes of each accepted format.
SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
}


def image_kind(head: bytes) -> str | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def validate_cover_image(file) -> None:
    if file.size > MAX_COVER_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."))
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if image_kind(head) is None:
        raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."))
