"""Forms announce their errors in a real browser (issue 16, item 5): after a rejected submission the focus is
on the error summary, so a screen reader starts there; its links lead to the fields; axe-core finds nothing
serious on the page as it then is."""

import pytest
from django.urls import reverse
from django.utils import translation

from kelisim.consultations.tests import factories as consultation_factories
from kelisim.tests.page_audit import FAILING_IMPACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY_HEADING = {"kk": "Қате бар", "ru": "Есть ошибка", "en": "There is a problem"}


@pytest.fixture
def page(chromium_browser, live_server):
    """A page whose context lets axe-core be injected (the site's CSP allows no inline script)."""
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _focused_is_summary(page) -> bool:
    return page.evaluate("() => document.activeElement && document.activeElement.matches('[data-error-summary]')")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_rejected_suggestion_puts_the_focus_on_the_summary(page, screenshot, language):
    version = consultation_factories.open_version()
    with translation.override(language):
        page.goto(reverse("consultations:suggest", args=[version.document.slug, version.number]))
    page.locator("#id_text").fill("Too short")
    page.locator("#id_contact_email").fill("not-an-address")
    page.locator("form.suggestion-form button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert _focused_is_summary(page)
    summary = page.get_by_role("alert")
    assert SUMMARY_HEADING[language] in summary.inner_text()
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_text").input_value() == "Too short"
    screenshot(f"summary-{language}")
    serious = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    assert serious == []
    summary.locator('a[href="#id_contact_email"]').click()
    assert page.evaluate("() => document.activeElement.id") == "id_contact_email"


def test_a_rejected_sign_in_puts_the_focus_on_the_summary(page):
    with translation.override("en"):
        page.goto(reverse("account_login"))
    page.locator("#id_login").fill("nobody@example.kz")
    page.locator("#id_password").fill("wrong password")
    page.locator("#id_password").press("Enter")
    page.wait_for_selector("[data-error-summary]")
    assert _focused_is_summary(page)
    assert page.locator("#id_login").input_value() == "nobody@example.kz"
    assert [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS] == []
