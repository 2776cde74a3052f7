import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_interactive_documentation_lists_the_operations(page, screenshot):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/experts", exact=True).first.wait_for()
    assert page.get_by_text("/api/v1/organisations/by-bin/{bin}").count() == 1
    assert not [text for text in blocked if "script" in text], blocked
    screenshot("api-docs")
