"""The consultation journey in a real browser: a visitor suggests, an officer groups and answers, the
visitor reads the answer through the private link, and exactly one answer email goes out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kelisim.accounts.tests.factories import make_staff
from kelisim.consultations.models import Status, Suggestion
from kelisim.consultations.tests import factories
from kelisim.core.models import OutboxEmail
from kelisim.core.tests.browser import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDEA = "Hold meetings with young people in college dormitories too, where students live away from their parents."


def test_visitor_suggests_officer_groups_and_answers_visitor_reads_the_answer(
    page, screenshot, live_server, chromium_browser
):
    version = factories.open_version()
    paragraph = version.paragraphs.order_by("position").first()
    # Someone sent nearly the same idea earlier (anonymously, without an email address).
    earlier = factories.suggestion(
        version,
        paragraph=paragraph,
        text="Meetings with young people should be held in college dormitories too, where students live alone.",
    )
    from kelisim.consultations.duplicates import index_suggestion

    index_suggestion(earlier)

    _visitor_is_refused_a_text_too_long(page, screenshot, version, paragraph)
    reference, follow_url = _visitor_sends(page, screenshot)
    mine = Suggestion.objects.get(reference=reference)
    assert mine.paragraph == paragraph and mine.author is None
    _visitor_confirms_the_address(page, live_server)

    _officer_merges_and_answers(chromium_browser, live_server, earlier_reference=earlier.reference, reference=reference)
    earlier.refresh_from_db()
    mine.refresh_from_db()
    assert earlier.status == Status.MERGED and earlier.merged_into == mine
    assert mine.status == Status.ACCEPTED

    _visitor_reads_the_answer(page, screenshot, follow_url)
    _exactly_one_answer_email_went_out()


def _visitor_is_refused_a_text_too_long(page, screenshot, version, paragraph):
    """The visitor reads the draft, suggests on a paragraph, and sends too much: nothing typed is lost."""
    page.goto(version.get_absolute_url().replace("/ru/", "/en/"))
    page.locator(f"#{paragraph.key}").get_by_role("link", name="Suggest on this paragraph").click()
    page.wait_for_url("**/suggest/?paragraph=*")
    counter = page.locator("#text-counter")
    text_box = page.get_by_label("Your suggestion")
    too_long = "y" * 1501
    text_box.fill(too_long)
    # The counter's script may attach just after the text is typed; it counts what is there when it does.
    expect(counter).to_have_text(re.compile(r"^1501 of 1500 characters"))
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    page.get_by_label("Title").fill("Dormitories")
    page.get_by_label("Email for the answer (optional)").fill("visitor@example.kz")
    screenshot("too-long")
    page.get_by_role("button", name="Send the suggestion").click()
    summary = page.get_by_role("alert")
    assert "Your suggestion was not sent yet" in summary.inner_text()
    assert "1501" in summary.inner_text()
    assert text_box.input_value() == too_long
    assert page.get_by_label("Title").input_value() == "Dormitories"
    assert page.get_by_label("Email for the answer (optional)").input_value() == "visitor@example.kz"
    assert not Suggestion.objects.filter(contact_email="visitor@example.kz").exists()
    screenshot("refused-text-kept")


def _visitor_sends(page, screenshot) -> tuple[str, str]:
    """The visitor shortens the text and sends it; returns the reference and the private link."""
    page.get_by_label("Your suggestion").fill(IDEA)
    assert page.locator("#text-counter").inner_text().startswith(f"{len(IDEA)} of 1500")
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_url("**/follow/**")
    reference = page.locator("[data-reference]").inner_text()
    assert re.fullmatch(r"2017-\d{5}", reference)
    screenshot("sent-with-reference")
    return reference, page.url


def _visitor_confirms_the_address(page, live_server):
    """The visitor confirms the address from the email they received."""
    confirmation = OutboxEmail.objects.get(topic="consultations.confirm", to="visitor@example.kz")
    confirm_path = re.search(r"https?://[^/\s]+(/\S+confirm-email/\S+/)", confirmation.body_text).group(1)
    page.goto(live_server.url + confirm_path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/follow/**")


def _officer_merges_and_answers(chromium_browser, live_server, *, earlier_reference, reference):
    """The officer sees the two suggestions grouped, merges the earlier one into the new one and answers."""
    officer_context = chromium_browser.new_context(base_url=live_server.url, locale="en-GB")
    officer_page = officer_context.new_page()
    officer_page.set_default_timeout(10_000)
    sign_in_browser(officer_page.context, live_server, make_staff())
    officer_page.goto("/en/consultation/triage/?group=clusters")
    groups = {
        officer_page.locator(f"tr:has(a:text-is('{ref}')) [data-cluster]").get_attribute("data-cluster")
        for ref in (earlier_reference, reference)
    }
    assert len(groups) == 1 and None not in groups, "the two similar suggestions are in one group"
    officer_page.get_by_role("link", name=reference).click()
    duplicates = officer_page.get_by_role("region", name="Possible duplicates")
    duplicates.get_by_role("checkbox").first.check()
    duplicates.get_by_role("button", name="Merge the ticked suggestions into this one").click()
    officer_page.wait_for_selector("text=Suggestions merged.")
    answer_form = officer_page.get_by_role("region", name="Status and official answer")
    answer_form.get_by_role("combobox", name="New status").select_option(Status.ACCEPTED)
    answer_form.get_by_role("textbox", name="Official answer").fill(
        "Accepted: dormitories are added to measure 3.1 of the plan."
    )
    answer_form.get_by_role("textbox", name="Note for the history").fill("Two suggestions, one answer")
    answer_form.get_by_role("button", name="Save and publish").click()
    officer_page.wait_for_selector("text=Status changed.")
    officer_context.close()


def _visitor_reads_the_answer(page, screenshot, follow_url):
    """The visitor's private link shows the answer."""
    page.goto(follow_url)
    assert "Accepted" in page.locator("[data-status]").inner_text()
    assert "measure 3.1" in page.locator("[data-answer]").inner_text()
    screenshot("answer-on-follow-page")


def _exactly_one_answer_email_went_out():
    answers = OutboxEmail.objects.filter(topic="consultations.answer")
    assert answers.count() == 1
    assert answers.get().to == "visitor@example.kz"
    assert answers.get().status == OutboxEmail.Status.SENT
    answer_mails = [message for message in mail.outbox if "has an answer" in message.subject]
    assert len(answer_mails) == 1 and "measure 3.1" in answer_mails[0].body
