"""The roundtable-to-plan journey in a real browser: an NGO member registers, the officer records attendance
and a decision that takes a suggestion into a new plan item, closes the roundtable and publishes draft 2;
then the public compares draft 1 with draft 2 and walks the trace from the suggestion to the item and back."""

import pytest

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations.models import Status
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail
from kelisim.core.tests.browser import sign_in_browser
from kelisim.meetings.models import Registration
from kelisim.meetings.tests.factories import agenda_item, member, roundtable
from kelisim.plans.tests.factories import draft_with_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDEA = "Invite experts in theology and public speaking to the youth movement's meetings in colleges."


def _member_registers(page, base, meeting, ngo_member, organisation, screenshot):
    page.goto(f"{base}/roundtables/{meeting.pk}/")
    page.get_by_label("On behalf of").select_option(str(organisation.pk))
    page.get_by_role("button", name="Register").click()
    assert "You are registered" in page.content()
    assert Registration.objects.get(user=ngo_member).status == "confirmed"
    screenshot("registered")


def _officer_records_attendance_and_the_decision(page, base, meeting, organisation, draft_one, screenshot):
    page.goto(f"{base}/roundtables/{meeting.pk}/attendance/")
    page.get_by_label(organisation.name_en).fill("3")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{base}/roundtables/{meeting.pk}/agenda/")
    page.get_by_role("link", name="incorporate into the plan").click()
    page.get_by_label("Wording of the decision (English)").fill("Taken into the youth strand as a new measure.")
    page.get_by_label("New item: objective").select_option(str(draft_one.objectives.get(strand__code="youth").pk))
    page.get_by_label("New item: measure (English)").fill(
        "A roster of theology and public speaking experts for youth NGOs"
    )
    page.get_by_label("New item: responsible body").fill("Ministry of Religious Affairs")
    screenshot("incorporate-form")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/roundtables/{meeting.pk}/agenda/")
    assert "item 3.1.2" in page.content()


def _officer_closes_the_roundtable_and_publishes_draft_two(page, base, meeting, screenshot):
    page.goto(f"{base}/roundtables/{meeting.pk}/minutes/")
    page.locator("#id_minutes").fill("## Decisions\n\nThe roundtable agreed the decisions below.")
    page.get_by_role("button", name="Save the minutes").click()
    page.goto(f"{base}/roundtables/{meeting.pk}/close/")
    page.get_by_role("button", name="Close and publish").click()
    assert "minutes and decisions are public" in page.content()

    page.goto(f"{base}/plan/versions/")
    page.get_by_role("link", name="draft 2").click()
    page.get_by_role("button", name="Publish this draft").click()
    assert "It can no longer change" in page.content()
    screenshot("draft-2-published")


def _public_compares_and_traces(page, base, draft_one, suggestion, agenda_title, screenshot):
    page.context.clear_cookies()
    page.goto(f"{base}/plan/compare/")
    page.get_by_label("Older").select_option(str(draft_one.number))
    page.get_by_label("Newer").select_option(str(draft_one.number + 1))
    page.get_by_role("button", name="Compare").click()
    assert "1 added, 0 removed, 0 changed." in page.content()
    assert "A roster of theology and public speaking experts" in page.content()
    screenshot("compare")

    page.goto(f"{base}/plan/trace/suggestions/{suggestion.reference}/")
    assert "Youth and prevention roundtable" in page.content()
    page.get_by_role("link", name="Item 3.1.2").click()
    page.wait_for_url("**/plan/trace/items/**")
    assert "A roster of theology and public speaking experts" in page.content()
    screenshot("trace-item")
    page.get_by_role("link", name=suggestion.reference).click()
    page.wait_for_url(f"**/plan/trace/suggestions/{suggestion.reference}/")
    assert agenda_title in page.content()


def test_officer_takes_a_suggestion_into_the_plan_and_the_public_traces_it(page, screenshot, live_server):
    draft_one = draft_with_items(items_per_strand=1)
    author = UserFactory(email="author@example.kz")
    suggestion = consultation_factories.suggestion(
        consultation_factories.open_version(), text=IDEA, author=author, address="10.9.9.9"
    )
    meeting = roundtable(title="Youth and prevention roundtable")
    item = agenda_item(meeting, suggestions=[suggestion], title="Spiritual and moral education of youth")
    ngo_member, organisation = member()
    base = live_server.url + "/en"

    sign_in_browser(page.context, live_server, ngo_member)
    _member_registers(page, base, meeting, ngo_member, organisation, screenshot)
    sign_in_browser(page.context, live_server, make_staff())
    _officer_records_attendance_and_the_decision(page, base, meeting, organisation, draft_one, screenshot)
    _officer_closes_the_roundtable_and_publishes_draft_two(page, base, meeting, screenshot)

    # The author was told once; the public compares and traces.
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    assert "item 3.1.2" in suggestion.answer_text
    assert OutboxEmail.objects.filter(to=author.email, topic="consultations.answer").count() == 1
    _public_compares_and_traces(page, base, draft_one, suggestion, item.title, screenshot)
