"""Milestone evidence (issue 18, finding 9): a valid file is taken, by the form and in a browser, and is served
only as a download to the organisation and officers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kelisim.core.tests.browser import sign_in_browser
from kelisim.funding.models import Milestone, ReportEvidence
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def _milestone_and_applicant():
    organisation = factories.verified_organisation(name_en="Accord")
    applicant = factories.member(organisation)
    contract = factories.signed_contract(organisation=organisation, applicant=applicant)
    return contract.milestones.order_by("position").first(), applicant


def test_a_pdf_sent_as_evidence_is_stored_with_the_report(client):
    milestone, applicant = _milestone_and_applicant()
    client.force_login(applicant)
    response = client.post(
        reverse("funding:milestone_report", args=[milestone.pk]),
        {"narrative": "Three evenings held.", "evidence": [factories.pdf("minutes.pdf"), factories.pdf("photos.pdf")]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    names = sorted(ReportEvidence.objects.filter(report__milestone=milestone).values_list("original_name", flat=True))
    assert names == ["minutes.pdf", "photos.pdf"]
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.REPORTED


def test_evidence_that_is_not_a_document_is_refused_with_its_name(client):
    milestone, applicant = _milestone_and_applicant()
    client.force_login(applicant)
    page = SimpleUploadedFile("minutes.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(
        reverse("funding:milestone_report", args=[milestone.pk]), {"narrative": "Held.", "evidence": [page]}
    )
    assert response.status_code == 200
    assert "minutes.pdf is not one of the accepted kinds" in response.content.decode()
    assert not ReportEvidence.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status != Milestone.Status.REPORTED


def test_evidence_is_a_download_for_the_organisation_and_hidden_from_others(client):
    milestone, applicant = _milestone_and_applicant()
    client.force_login(applicant)
    client.post(
        reverse("funding:milestone_report", args=[milestone.pk]),
        {"narrative": "Held.", "evidence": [factories.pdf("minutes.pdf")]},
    )
    evidence = ReportEvidence.objects.get()
    response = client.get(reverse("funding:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    client.logout()
    assert client.get(reverse("funding:evidence", args=[evidence.pk])).status_code in (302, 404)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_evidence_is_uploaded_from_the_report_page(page, live_server, tmp_path, screenshot):
    milestone, applicant = _milestone_and_applicant()
    evidence = tmp_path / "minutes.pdf"
    evidence.write_bytes(factories.PDF_BYTES)
    sign_in_browser(page.context, live_server, applicant)
    page.goto(f"{live_server.url}/en/funding/milestones/{milestone.pk}/report/")
    page.get_by_label("What was done").fill("Three dialogue evenings held in Taraz.")
    page.locator("input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url(f"**{milestone.contract.get_absolute_url()}")
    assert "No file was submitted" not in page.content()
    assert page.get_by_text("Your report was sent to the programme officer.").is_visible()
    screenshot("evidence-sent")
    stored = ReportEvidence.objects.get(report__milestone=milestone)
    assert stored.original_name == "minutes.pdf" and stored.content_type == "application/pdf"
