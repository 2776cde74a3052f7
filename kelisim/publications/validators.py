from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kelisim.core.files import IMAGE_TYPES, sniff_content_type

MAX_COVER_BYTES = 5 * 1024 * 1024


def validate_cover_image(file) -> None:
    if file.size > MAX_COVER_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."))
    position = file.tell() if hasattr(file, "tell") else 0
    kind = sniff_content_type(file)
    file.seek(position)
    if kind not in IMAGE_TYPES:
        raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."))
