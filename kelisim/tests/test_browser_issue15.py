"""Issue 15 in a real browser: each role starts at its home ("My work") and reaches what waits; notifications,
the header's search and the import preview; staff tables at 1280 and 360 px."""

import re

import pytest

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.activities.models import ReportStatus
from kelisim.activities.tests.factories import ReportFactory
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations.tests import factories as consultations
from kelisim.core.tests.browser import sign_in_browser
from kelisim.funding.tests import factories as funding
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory, valid_bin
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A word broken across two lines has two boxes: every word of every cell must have one (no mid-word breaks).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def _go_home(page, live_server, user):
    sign_in_browser(page.context, live_server, user)
    page.goto("/en/")
    page.get_by_role("link", name="My work").click()
    page.wait_for_url("**/en/work/")


def test_an_officer_goes_from_my_work_to_the_filtered_triage_queue(page, live_server, screenshot):
    officer = make_staff()
    version = consultations.open_version()
    for number in range(3):
        consultations.suggestion(version, text=f"Suggestion {number}: open youth clubs in every village of the region.")
    ReportFactory(status=ReportStatus.SUBMITTED, title="Lecture in Taraz college")
    _go_home(page, live_server, officer)
    screenshot("officer-home")
    assert "3 suggestions waiting for an answer" in page.locator("main").inner_text()
    assert "1 activity report to verify" in page.locator("main").inner_text()
    page.locator(".work-summary").get_by_role("link", name=re.compile("suggestions waiting for an answer")).click()
    page.wait_for_url("**/consultation/triage/**")
    # The filter shows what it applies, and the count equals My work's.
    assert page.get_by_label("Status").input_value() == "open"
    assert "3 suggestions" in page.locator("main [role=status]").first.inner_text()
    page.get_by_role("button", name="Show").click()
    assert "3 suggestions" in page.locator("main [role=status]").first.inner_text()
    # Staff tables: the whole width at 1280 px ...
    table_width = page.locator("table.triage-table").bounding_box()["width"]
    assert table_width > 0.85 * 1280, table_width
    screenshot("triage-1280")
    # ... and no word broken mid-word at 360 px (the table scrolls sideways instead).
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("triage-360")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/en/work/")
    page.locator(".work-summary").get_by_role("link", name=re.compile("activity report to verify")).click()
    page.wait_for_url("**/activities/reports/queue/")
    assert "Lecture in Taraz college" in page.locator("main").inner_text()


def test_a_moderator_goes_from_my_work_to_held_comments(page, live_server, screenshot):
    moderator = make_staff(Role.MODERATOR)
    CommentFactory(target=ArticleFactory(), status=Comment.Status.PENDING, text="A held remark about the lecture.")
    _go_home(page, live_server, moderator)
    page.locator(".work-summary").get_by_role("link", name=re.compile("comment held for moderation")).click()
    page.wait_for_url("**/comments/moderation/?status=pending")
    assert "A held remark about the lecture." in page.locator("main").inner_text()
    screenshot("moderation-queue")


def test_a_reviewer_goes_from_my_work_to_the_review_and_was_notified(page, live_server, screenshot):
    application = funding.submitted_application()
    person = funding.reviewer()
    funding.assignment_for(application, person)
    _go_home(page, live_server, person)
    assert page.locator(".count-badge").inner_text().strip().startswith("1")  # the assignment's notification
    page.locator(".work-section").get_by_role("link").first.click()
    page.wait_for_url("**/funding/reviews/*/")
    screenshot("review")


def test_an_ngo_admin_goes_from_my_work_to_the_draft_and_the_join_request(page, live_server, screenshot):
    call = funding.open_call()
    organisation = funding.verified_organisation()
    admin = funding.member(organisation)
    funding.complete_draft(call, organisation, admin)
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    _go_home(page, live_server, admin)
    text = page.locator("main").inner_text()
    assert "1 application to finish and submit" in text and "1 request to join your organisation" in text
    page.locator(".work-summary").get_by_role("link", name=re.compile("application to finish")).click()
    page.wait_for_url("**/funding/applications/?status=open")
    assert page.get_by_label("Status").input_value() == "open"
    assert "1 application" in page.locator("main [role=status]").inner_text()
    screenshot("applications-open")


def test_an_administrator_sees_failed_emails(page, live_server, screenshot):
    from kelisim.core.models import OutboxEmail

    OutboxEmail.objects.create(
        to="x@example.kz", subject="Lost message", body_text="-", status=OutboxEmail.Status.FAILED
    )
    _go_home(page, live_server, make_staff(Role.ADMINISTRATOR))
    assert "1 email that could not be sent" in page.locator("main").inner_text()
    screenshot("admin-home")


def test_a_citizen_follows_a_call_hears_of_its_change_and_reads_the_notification(page, live_server, screenshot):
    from kelisim.funding import services as funding_services
    from kelisim.funding.models import Call

    citizen = UserFactory()
    call = funding.open_call()
    sign_in_browser(page.context, live_server, citizen)
    page.goto(call.get_absolute_url())
    page.get_by_role("button", name="Follow").click()
    assert page.get_by_role("button", name=re.compile("Following")).is_visible()
    funding_services.transition_call(actor=funding.officer(), call=call, to=Call.Status.CANCELLED, reason="budget")
    page.goto("/en/")
    page.get_by_role("link", name=re.compile("Notifications")).click()
    assert "is now: Cancelled" in page.locator("main").inner_text()
    screenshot("inbox")
    page.get_by_role("button", name="Open").first.click()
    page.wait_for_url(f"**{call.get_absolute_url()}")
    assert page.locator(".count-badge").count() == 0


def test_the_header_search_groups_results_and_links_to_each_list(page, live_server, screenshot):
    version = consultations.open_version()
    consultations.suggestion(version, text="Mediation clubs for teenagers in every district.")
    OrganisationFactory(name_en="Mediation Centre")
    page.goto("/en/")
    page.get_by_label("Search the site").fill("mediation")
    page.get_by_label("Search the site").press("Enter")
    page.wait_for_url("**/en/search/?q=mediation")
    text = page.locator("main").inner_text()
    assert "1 suggestion" in text and "1 organisation" in text
    screenshot("search")
    page.get_by_role("link", name="See it in its list").first.click()
    page.wait_for_url("**/consultation/suggestions/?q=mediation")


def test_an_organisation_import_is_previewed_then_written(page, live_server, screenshot, tmp_path):
    officer = make_staff()
    existing = OrganisationFactory(bin=valid_bin(7), name_en="Old name")
    path = tmp_path / "registry.csv"
    path.write_text(
        "bin,name_ru,name_en,legal_form,region\n"
        f"{valid_bin(7)},{existing.name_ru},New name,public_association,KZ-71\n"
        f"{valid_bin(8)},Новое НПО,New NGO,public_association,KZ-71\n",
        encoding="utf-8",
    )
    sign_in_browser(page.context, live_server, officer)
    page.goto("/en/organisations/imports/")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("text=What this import will do")
    text = page.locator("main").inner_text()
    assert "1 organisation to add" in text and "1 organisation to change" in text
    assert "Old name" in text and "New name" in text
    screenshot("preview")
    existing.refresh_from_db()
    assert existing.name_en == "Old name"
    page.get_by_role("button", name="Write these changes").click()
    page.wait_for_selector("text=Every row was imported")
    existing.refresh_from_db()
    assert existing.name_en == "New name" and Organisation.objects.filter(bin=valid_bin(8)).exists()


def test_sign_in_from_the_header_keeps_the_language_and_the_page(page, live_server):
    from kelisim.accounts.tests.factories import PASSWORD

    person = UserFactory(preferred_language="ru")
    page.goto("/en/roundtables/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/en/roundtables/")
