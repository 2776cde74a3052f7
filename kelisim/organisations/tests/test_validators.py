import pytest
from django.core.exceptions import ValidationError

from kelisim.organisations.validators import is_valid_bin, make_bin, validate_bin


def test_a_completed_bin_is_valid_and_a_changed_digit_is_not():
    number = make_bin("17024000123")
    assert number is not None and is_valid_bin(number)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not is_valid_bin(wrong)


@pytest.mark.parametrize("value", ["12345", "1234567890123", "12345678901a", ""])
def test_bin_must_have_twelve_digits(value):
    with pytest.raises(ValidationError) as error:
        validate_bin(value)
    assert error.value.code == "bin_format"


def test_wrong_check_digit_gets_its_own_message():
    number = make_bin("16022400003")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        validate_bin(wrong)
    assert error.value.code == "bin_check"
