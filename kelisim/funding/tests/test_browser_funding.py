"""The funding journey in a real browser: an NGO applies (a live counter on the long answer; a validation
error keeps what it typed; "Add a line" gives the budget a second line), two reviewers score while a
conflicted third is blocked, the officer can award only once both reviews are in, contracts, the contract
appears in the public register, and its OCDS export validates against the official schema."""

import json

import pytest
from playwright.sync_api import expect

from kelisim.core.tests.browser import sign_in_browser
from kelisim.funding import ocds
from kelisim.funding.models import Application, Contract, ReviewAssignment
from kelisim.funding.tests import factories
from kelisim.organisations.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _review(page, base, reviewer, application, scores):
    page.goto(f"{base}/funding/reviews/")
    page.get_by_role("link", name=application.title).click()
    for label, value in scores.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Submit review").click()
    assert "Your review was submitted" in page.content()


def _apply(page, base, call, organisation, screenshot) -> Application:
    """The NGO applies; a first attempt is refused and nothing typed is lost."""
    page.goto(f"{base}/funding/calls/{call.reference}/")
    page.get_by_role("button", name="Start an application").click()
    page.get_by_label("Project title").fill("Dialogue evenings in Taraz")
    page.get_by_label("How will you reach young people?").fill("Through schools and the youth centre.")
    # The counter's script may attach just after the text is typed; it counts what is there when it does.
    expect(page.locator(f"#id_q{call.questions.get(kind='long_text').pk}_counter")).to_have_text("37 of 500 characters")
    page.get_by_label("Budget item 1").fill("Experts' fees")
    page.get_by_label("Amount, KZT (line 1)").fill("nine hundred thousand")
    page.get_by_role("button", name="Submit application").click()
    assert "There is a problem" in page.content()
    assert "is not an amount in tenge" in page.content()
    assert page.get_by_label("Project title").input_value() == "Dialogue evenings in Taraz"
    assert page.get_by_label("Amount, KZT (line 1)").input_value() == "nine hundred thousand"
    screenshot("validation-error-keeps-input")
    page.get_by_label("Summary").fill("Monthly evenings with religious scholars for young people.")
    page.get_by_label("Amount, KZT (line 1)").fill("700 000")
    # The budget takes as many lines as needed: "Add a line" saves the draft and offers an empty row.
    page.get_by_role("button", name="Add a line").click()
    assert page.get_by_label("Budget item 2").input_value() == ""
    page.get_by_label("Budget item 2").fill("Venue")
    page.get_by_label("Amount, KZT (line 2)").fill("200 000")
    screenshot("budget-line-added")
    page.get_by_role("button", name="Submit application").click()
    assert "The application was submitted" in page.content()
    application = Application.objects.get(organisation=organisation)
    assert application.status == Application.Status.SUBMITTED
    assert [(line.item, int(line.amount_kzt)) for line in application.budget_lines.all()] == [
        ("Experts' fees", 700_000),
        ("Venue", 200_000),
    ]
    return application


def _assign_reviewers(page, base, application, reviewers, screenshot) -> None:
    """The officer assigns three reviewers; the insider is caught."""
    for person in reviewers:
        page.goto(f"{base}/funding/applications/{application.pk}/")
        page.locator("#id_reviewer").select_option(str(person.pk))
        page.get_by_role("button", name="Assign", exact=True).click()
    assert "flagged as conflicted" in page.content()
    # No review is in yet: approve and reject wait, asking for changes does not.
    assert "0 of 2 reviews in" in page.content()
    assert page.get_by_label("Approve").is_disabled() and page.get_by_label("Reject").is_disabled()
    assert page.get_by_label("Ask for changes").is_enabled()
    screenshot("reviewers-assigned")


def _score_and_block_the_insider(page, base, live_server, application, reviewers, screenshot) -> None:
    """Two reviewers score; the conflicted one cannot open it."""
    first, second, insider = reviewers
    sign_in_browser(page.context, live_server, first)
    _review(page, base, first, application, {"Relevance (weight 60%)": "8", "Value for money (weight 40%)": "7"})
    sign_in_browser(page.context, live_server, second)
    _review(page, base, second, application, {"Relevance (weight 60%)": "9", "Value for money (weight 40%)": "6"})
    assert "Other reviewer 1: 76.0" in page.content()  # the others' scores, now that this review is in
    assert "Rustem Reviewer" not in page.content()  # but not who gave them: names are for officers
    sign_in_browser(page.context, live_server, insider)
    page.goto(f"{base}/funding/reviews/")
    assert application.title not in page.content()
    blocked = ReviewAssignment.objects.get(reviewer=insider)
    response = page.goto(f"{base}/funding/reviews/{blocked.pk}/")
    assert response.status == 404
    screenshot("conflicted-reviewer-blocked")


def _award_and_sign(page, base, call, application, screenshot) -> Contract:
    """The officer awards, contracts, adds a milestone and signs."""
    page.goto(f"{base}/funding/manage/calls/{call.reference}/ranking/")
    assert "Dialogue evenings in Taraz" in page.content() and "2 of 2 reviews in" in page.content()
    assert "Rustem Reviewer" in page.content() and "Saule Reviewer" in page.content()
    page.goto(f"{base}/funding/applications/{application.pk}/")
    assert page.get_by_label("Approve").is_enabled()
    page.get_by_label("Approve").check()
    page.get_by_label("Amount awarded, KZT").fill("850000")
    page.get_by_label("Reasons (sent to the applicant)").fill("Strong local partners; video budget trimmed.")
    page.get_by_role("button", name="Record decision").click()
    page.get_by_label("Starts on").fill("2017-06-01")
    page.get_by_label("Ends on").fill("2017-12-20")
    page.get_by_role("button", name="Create contract").click()
    contract = Contract.objects.get(application=application)
    page.locator("#id_title_en").fill("First three evenings")
    page.get_by_label("Deliverables (English)").fill("Three dialogue evenings in Taraz")
    page.get_by_label("Due on").fill("2017-08-31")
    page.get_by_label("Payment tranche, KZT").fill("300000")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_label("New status").select_option("signed")
    page.get_by_role("button", name="Change status").click()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED
    screenshot("contract-signed")
    return contract


def _published(page, base, contract, screenshot) -> None:
    """The public sees it in the register, and its OCDS export validates."""
    page.context.clear_cookies()
    page.goto(f"{base}/funding/contracts/")
    assert contract.number in page.content() and "Accord" in page.content()
    page.get_by_role("link", name=contract.number).click()
    screenshot("public-contract")
    export = page.request.get(f"{base}/funding/contracts/{contract.number}/ocds-release.json")
    package = json.loads(export.body())
    assert ocds.validation_errors(package, "release-package") == []
    assert package["releases"][0]["awards"][0]["value"]["amount"] == 850000


def test_apply_review_award_publish(page, screenshot, live_server):
    officer = factories.officer()
    call = factories.open_call(actor=officer)
    organisation = factories.verified_organisation(name_en="Accord")
    applicant = factories.member(organisation, email="accord@example.kz")
    reviewers = (
        factories.reviewer(display_name="Rustem Reviewer"),
        factories.reviewer(display_name="Saule Reviewer"),
        factories.reviewer(display_name="Bolat Reviewer"),
    )
    Membership.objects.create(user=reviewers[2], organisation=organisation, status=Membership.Status.ACTIVE)
    base = live_server.url + "/en"
    sign_in_browser(page.context, live_server, applicant)
    application = _apply(page, base, call, organisation, screenshot)
    sign_in_browser(page.context, live_server, officer)
    _assign_reviewers(page, base, application, reviewers, screenshot)
    _score_and_block_the_insider(page, base, live_server, application, reviewers, screenshot)
    sign_in_browser(page.context, live_server, officer)
    contract = _award_and_sign(page, base, call, application, screenshot)
    _published(page, base, contract, screenshot)
