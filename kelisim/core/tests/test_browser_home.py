import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_home_page_and_switches_to_kazakh(page, screenshot):
    page.goto("/en/")
    assert page.locator("h1").first.inner_text().startswith("A prevention programme")
    screenshot("home-en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақ").click()
    page.wait_for_url("**/kk/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("link", name="Негізгі мазмұнға өту").count() == 1
    screenshot("home-kk")


def test_keyboard_user_can_skip_to_the_main_content(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
