"""A citizen asks to join an NGO, its admin approves and makes them an admin, and they edit the profile."""

import pytest

from kelisim.core.tests.browser import sign_in_browser
from kelisim.organisations.models import Membership
from kelisim.organisations.tests.browser import assert_form_keeps_input_after_refusal, fill_in
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_joins_is_approved_made_admin_and_edits_the_profile(page, screenshot, live_server):
    organisation = OrganisationFactory(
        name_en="Steppe Volunteers", name_ru="Волонтёры степи", verification_status="verified"
    )
    admin = MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user__display_name="Aigerim Admin"
    ).user
    citizen = UserFactory(display_name="Dias Citizen")

    # The citizen finds the organisation through the search and asks to join.
    sign_in_browser(page.context, live_server, citizen)
    page.goto("/en/organisations/")
    page.locator("main").get_by_label("Search").fill("steppe volunt")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Steppe Volunteers").click()
    screenshot("detail-before-joining")
    page.get_by_role("button", name="Ask to join").click()
    assert page.get_by_text("Your request is sent").is_visible()
    assert page.get_by_text("waiting for an admin's decision").is_visible()
    screenshot("request-sent")

    # The NGO admin sees the request on their profile, approves it and makes the citizen an admin.
    sign_in_browser(page.context, live_server, admin)
    page.goto("/en/accounts/profile/")
    section = page.locator("section", has_text="Requests waiting for your decision")
    assert section.get_by_text("Dias Citizen").is_visible()
    section.get_by_role("link", name="Decide").click()
    screenshot("members-with-request")
    page.get_by_role("button", name="Approve Dias Citizen").click()
    assert page.get_by_text("The request is approved.").is_visible()
    page.get_by_label("Role of Dias Citizen").select_option("admin")
    page.locator("form", has=page.get_by_label("Role of Dias Citizen")).get_by_role(
        "button", name="Change role"
    ).click()
    assert page.get_by_text("The role is changed.").is_visible()
    screenshot("members-after-role-change")

    # The new admin edits the profile; a mistake keeps what was typed, the correction is saved.
    sign_in_browser(page.context, live_server, citizen)
    page.goto(f"/en/organisations/{organisation.pk}/")
    page.get_by_role("link", name="Edit the profile").click()
    fill_in(page, {"Address": "Astana, Kenesary street 40", "website": "not a web address"})
    assert_form_keeps_input_after_refusal(page, button="Save", label="Address", typed="Astana, Kenesary street 40")
    screenshot("edit-rejected-keeps-input")
    page.get_by_label("website").fill("https://steppe.example.kz")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The profile is saved.").is_visible()
    assert page.get_by_role("link", name="https://steppe.example.kz").is_visible()
    assert page.get_by_text("Astana, Kenesary street 40").is_visible()
    screenshot("profile-saved")
