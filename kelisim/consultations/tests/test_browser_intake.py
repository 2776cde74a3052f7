"""Suggestions by email in a real browser: the officer gives the consultation an intake address, the public
page shows it, a message delivered to the mailbox becomes a suggestion the officer triages, and the sender's
acknowledgement with the reference is in the outbox."""

import pytest

from kelisim.accounts.tests.factories import make_staff
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tasks import read_intake_mailbox
from kelisim.consultations.tests import factories
from kelisim.consultations.tests.mail import INTAKE, compose
from kelisim.core.models import OutboxEmail
from kelisim.core.tests.browser import sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_email_reaches_the_triage_queue_and_the_sender_is_acknowledged(
    page, screenshot, live_server, intake_mailbox
):
    version = factories.open_version()
    sign_in_browser(page.context, live_server, make_staff())
    page.goto(f"/en/consultation/d/{version.document.slug}/v{version.number}/window/")
    page.get_by_label("Intake email address").fill(INTAKE.upper())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/triage/**")
    version.refresh_from_db()
    assert version.intake_address == INTAKE
    page.context.clear_cookies()
    page.goto(version.get_absolute_url().replace("/ru/", "/en/").replace("/kk/", "/en/"))
    assert f"or send your suggestion by email to {INTAKE}" in page.locator("main").inner_text()
    screenshot("public-intake-address")

    intake_mailbox.append(
        compose(
            subject="Спортзалы",
            text="Откройте спортивные залы в школах по вечерам для подростков.",
            attachments=[("plan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")],
        )
    )
    assert read_intake_mailbox.enqueue().return_value == {"suggestion": 1}
    suggestion = Suggestion.objects.get()

    sign_in_browser(page.context, live_server, make_staff())
    page.goto("/en/consultation/triage/?status=open&sort=oldest")
    row = page.locator("tr", has_text=suggestion.reference)
    assert row.locator('[data-channel="email"]').inner_text() == "Email to the intake address"
    screenshot("triage-queue")
    row.get_by_role("link", name=suggestion.reference).click()
    main = page.locator("main").inner_text()
    assert "Received by email (private)" in main and "aigerim@example.kz" in main and "plan.png" in main
    screenshot("triage-detail")

    ack = OutboxEmail.objects.get(to="aigerim@example.kz")
    assert suggestion.reference in ack.subject and ack.reply_to == INTAKE
    assert intake_mailbox.count("Kelisim-Done") == 1
