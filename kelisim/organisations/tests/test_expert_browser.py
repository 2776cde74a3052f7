"""A visitor finds a theologian who speaks Kazakh, writes to them, and never sees their address."""

import pytest

from kelisim.core.models import OutboxEmail, Region
from kelisim.organisations.tests.browser import assert_form_keeps_input_after_refusal, fill_in
from kelisim.organisations.tests.expert_factories import ExpertFactory, ExpertiseFieldFactory, UserFactory
from kelisim.organisations.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_an_expert_and_writes_to_them(page, screenshot):
    theology = ExpertiseFieldFactory(code="theology", name_en="Theology", name_ru="Теология", name_kk="Теология")
    law = ExpertiseFieldFactory(code="law", name_en="Law", name_ru="Право", name_kk="Құқық")
    ExpertFactory(
        full_name="Aliya Nurpeisova",
        title_en="Religious scholar and lecturer",
        bio_en="Lectures to students on religious literacy.",
        fields=[theology],
        languages="kk,ru",
        regions=[Region.objects.get(code="KZ-71"), Region.objects.get(code="KZ-11")],
        contact_email="aliya-private@experts.example.kz",
    )
    ExpertFactory(full_name="Gulnara Seitkali", fields=[law], languages="en,ru")

    page.goto("/en/organisations/experts/")
    screenshot("roster")
    page.get_by_label("Field of expertise").select_option("theology")
    page.get_by_role("combobox", name="Language").select_option("kk")
    page.get_by_role("button", name="Show experts").click()
    page.wait_for_url("**field=theology**")
    assert page.get_by_role("heading", name="1 expert").count() == 1
    assert page.get_by_text("Gulnara Seitkali").count() == 0
    screenshot("filtered")

    page.get_by_role("link", name="Aliya Nurpeisova").click()
    assert page.locator("h1").inner_text() == "Aliya Nurpeisova"
    assert "aliya-private" not in page.content()
    screenshot("expert")

    page.get_by_role("link", name="Write to this expert").click()
    fill_in(page, {"Your name": "Aigerim", "Your email": "aigerim@ngo.example.kz", "Message": "Too short"})
    assert_form_keeps_input_after_refusal(page, button="Send the message", label="Your name", typed="Aigerim")
    screenshot("message-rejected")

    page.get_by_label("Message").fill("Could you give a lecture to our volunteers in Astana in May?")
    page.get_by_role("button", name="Send the message").click()
    assert page.get_by_role("heading", name="Message sent").count() == 1
    screenshot("message-sent")
    assert OutboxEmail.objects.get().to == "aliya-private@experts.example.kz"


def test_a_citizen_lists_themselves_with_consent(page, screenshot, live_server):
    ExpertiseFieldFactory(code="psychology", name_en="Psychology")
    user = UserFactory(email="dana@example.kz", display_name="Dana")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto("/en/accounts/login/")
    page.get_by_label("Email").fill("dana@example.kz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/en/organisations/experts/join/")
    page.get_by_label("Title or position (English)").fill("Psychologist")
    page.get_by_role("checkbox", name="Psychology").check()
    page.get_by_role("checkbox", name="Russian").check()
    page.get_by_role("button", name="Publish the profile").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Title or position (English)").input_value() == "Psychologist"
    screenshot("join-without-consent")
    page.get_by_label("I agree to be listed publicly").check()
    page.get_by_role("button", name="Publish the profile").click()
    assert page.locator("h1").inner_text() == "Dana"
    screenshot("joined")
