"""Steps shared by the registry's and the roster's browser journeys."""


def fill_in(page, values: dict[str, str]) -> None:
    """Type each value into the field with that label."""
    for label, value in values.items():
        page.get_by_label(label).fill(value)


def assert_form_keeps_input_after_refusal(page, *, button: str, label: str, typed: str) -> None:
    """Send the form with ``button``: the error summary shows, and the field ``label`` still holds ``typed``."""
    page.get_by_role("button", name=button).click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label(label).input_value() == typed
