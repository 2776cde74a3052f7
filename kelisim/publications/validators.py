"""Kept because migration 0001 names it: cover images are checked by ``core.files.COVER_IMAGE`` now."""

from kelisim.core.files import COVER_IMAGE


def validate_cover_image(file) -> None:
    COVER_IMAGE.check(file)
