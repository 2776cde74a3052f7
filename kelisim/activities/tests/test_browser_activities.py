"""The reporting journey in a real browser: an NGO member files three reports with the form and imports 150
rows (a file with errors first, refused whole), an officer verifies them, and the public dashboard and map
change."""

import re

import pytest

from kelisim.accounts.tests.factories import make_staff
from kelisim.activities.models import ActivityReport, ReportStatus
from kelisim.activities.tests.factories import xlsx_of
from kelisim.core.tests.browser import sign_in_browser
from kelisim.core.tests.factories import StrandFactory
from kelisim.meetings.tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _xlsx(rows) -> dict:
    return {
        "name": "reports.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": xlsx_of(rows),
    }


def _row(number: int, **overrides) -> dict:
    return {
        "activity_type": "meeting",
        "title": f"Peer meeting {number}",
        "start_date": f"2026-{1 + number % 12:02d}-{1 + number % 27:02d}",
        "region": "KZ-62",
        "venue_type": "college",
        "strand": "youth",
        "audiences": "working_youth",
        "female_19_29": 6,
        "male_19_29": 7,
    } | overrides


def _file_three_reports_with_the_form(page, base, organisation):
    for number, (region, girls) in enumerate((("Zhetysu Region", "14"), ("Abai Region", "9"), ("Astana", "3"))):
        page.goto(f"{base}/activities/organisation/{organisation.pk}/new/")
        page.get_by_label("Type:", exact=True).select_option("lecture")
        page.get_by_label("Title").fill(f"Lecture on media literacy {number + 1}")
        page.get_by_label("Start date").fill("2026-03-12")
        page.get_by_label("End date").fill("2026-03-12")
        page.get_by_label("Region:", exact=True).select_option(label=region)
        page.get_by_label("Venue type").select_option("school")
        page.get_by_label("Strand").select_option(label="Youth")
        page.get_by_label("School students").check()
        page.get_by_label("Women and girls 14–18").fill(girls)
        page.get_by_label("Men and boys 14–18").fill("5")
        page.get_by_role("button", name="Save and submit for verification").click()
        assert page.get_by_test_id("report-status").inner_text() == "Submitted"


def _upload(page, rows, outcome: str):
    page.get_by_label("Filled-in template (.xlsx)").set_input_files(_xlsx(rows))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_test_id("import-status").filter(has_text=outcome).wait_for()


def _import_a_wrong_file_then_150_rows(page, base, organisation, screenshot):
    page.goto(f"{base}/activities/organisation/{organisation.pk}/import/")
    bad = [_row(n) for n in range(150)]
    bad[9]["region"] = "KZ-99"
    bad[40]["female_19_29"] = "a dozen"
    _upload(page, bad, "Rejected")
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "11" in errors and "F region" in errors and "42" in errors and "female_19_29" in errors
    assert ActivityReport.objects.count() == 3
    screenshot("import-refused")

    page.get_by_role("link", name="Upload another file").click()
    _upload(page, [_row(n) for n in range(150)], "Checked")
    # Issue 15: the reports are previewed first; nothing is written before the member confirms.
    assert ActivityReport.objects.count() == 3
    screenshot("import-preview")
    page.get_by_role("button", name="Write these reports").click()
    page.get_by_test_id("import-status").filter(has_text="Done").wait_for()
    assert page.get_by_test_id("import-created").inner_text() == "150"


def _verify_the_queue(page, base):
    """Page after page (50 a page), until the queue is empty."""
    for _round in range(10):
        page.goto(f"{base}/activities/reports/queue/")
        boxes = page.locator("input[name=report]").all()
        if not boxes:
            return
        for box in boxes:
            box.check()
        page.get_by_role("button", name="Verify the selected reports").click()
        assert re.search(r"\d+ reports? verified", page.content())
    raise AssertionError("the queue did not empty in ten pages")


def test_member_reports_and_imports_officer_verifies_public_dashboard_changes(page, screenshot, live_server):
    StrandFactory(code="youth", name_en="Youth")
    ngo_member, organisation = member()
    officer = make_staff()
    base = live_server.url + "/en"

    page.goto(f"{base}/activities/")
    assert page.get_by_test_id("total-events").inner_text() == "0"
    assert page.locator('path[data-code="KZ-62"]').get_attribute("fill") == "#ffffff"

    sign_in_browser(page.context, live_server, ngo_member)
    _file_three_reports_with_the_form(page, base, organisation)
    assert ActivityReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 3
    screenshot("report-submitted")
    _import_a_wrong_file_then_150_rows(page, base, organisation, screenshot)

    sign_in_browser(page.context, live_server, officer)
    _verify_the_queue(page, base)
    assert ActivityReport.objects.filter(status=ReportStatus.VERIFIED).count() == 153

    # The public sees the change, with small counts protected.
    page.context.clear_cookies()
    page.goto(f"{base}/activities/")
    assert page.get_by_test_id("total-events").inner_text() == "153"
    assert page.locator('path[data-code="KZ-62"]').get_attribute("fill") != "#ffffff"
    table = page.get_by_test_id("dashboard-table").inner_text()
    assert "Ulytau Region" in table and "1950" in table
    assert "<5" not in table  # 8 people in Astana, shown as they are
    screenshot("public-dashboard")
