"""A visitor signs up, confirms the address from the email, names themselves and reads the profile in Kazakh."""

import re

import pytest

from kelisim.core.models import OutboxEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "steppe-wind-2017-kelisim"


def test_visitor_signs_up_confirms_the_email_and_reads_the_profile_in_kazakh(page, screenshot, live_server):
    page.goto("/en/")
    page.get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/en/accounts/signup/")
    page.get_by_label("Email").fill("zhanar@example.kz")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot("signup-form")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Verify Your Email Address"
    screenshot("verification-sent")

    message = OutboxEmail.objects.get(to="zhanar@example.kz")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body_text).group(0)
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    screenshot("confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/en/accounts/profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your profile"
    assert "zhanar@example.kz" in page.locator("main").inner_text()
    screenshot("signed-in-profile")

    page.get_by_label("Display name").fill("Zhanar Seitkali")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/en/accounts/profile/")
    assert page.get_by_role("link", name="Zhanar Seitkali").count() == 1  # the header greets them by name
    assert page.get_by_text("Your profile is saved.").count() == 1
    screenshot("display-name-saved")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақ").click()
    page.wait_for_url("**/kk/accounts/profile/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("heading", level=1).inner_text() == "Профиліңіз"
    assert page.get_by_role("link", name="Деректерімді жүктеп алу").count() == 1
    assert page.get_by_label("Көрсетілетін аты").input_value() == "Zhanar Seitkali"
    screenshot("profile-kk")
