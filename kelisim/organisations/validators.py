"""The Business Identification Number (BIN) of a Kazakh legal entity: 12 digits, the last a check digit.

The one place that reads and checks a BIN: the registration form, the services, the import and the API
normalise with ``normalise_bin`` and check with ``validate_bin``, so that they agree and say the same.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no digit is valid (such numbers are never issued)."""
    digits = [int(char) for char in first_eleven]
    remainder = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=True)) % 11
        if remainder == 10:
            return None
    return remainder


def is_valid_bin(value: str) -> bool:
    if len(value) != 12 or not value.isdigit():
        return False
    return bin_check_digit(value[:11]) == int(value[11])


def normalise_bin(text: str | None, *, from_spreadsheet: bool = False) -> str:
    """A BIN as typed (with spaces) or as a spreadsheet stored it: spreadsheets keep BINs as numbers and
    drop a leading zero, so an 11-digit number from a file has its "0" put back."""
    text = "".join((text or "").split())
    if from_spreadsheet and text.isdigit() and len(text) == 11:
        text = "0" + text
    return text


def validate_bin(value: str) -> None:
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("A BIN has exactly 12 digits."), code="bin_format")
    if not is_valid_bin(value):
        raise ValidationError(_("This BIN's check digit is wrong; please check the number."), code="bin_check")


def make_bin(first_eleven: str) -> str | None:
    """Complete 11 digits into a valid BIN (for demo data and tests), or None if impossible."""
    check = bin_check_digit(first_eleven)
    return None if check is None else f"{first_eleven}{check}"
