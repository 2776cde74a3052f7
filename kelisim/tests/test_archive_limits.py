"""The 212 KB XLSX that expands to 200 MB (issue 18, finding 7, the XLSX part): refused in well under a second
with a message that says why, at upload and again before the import task opens a stored file."""

import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kelisim.core.tests.test_files import bomb_xlsx

pytestmark = pytest.mark.django_db
MESSAGE = "would expand to 200 MB when opened"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_xlsx(200)


def test_the_registry_import_refuses_the_bomb_at_upload(client, bomb):
    from kelisim.activities.tests.factories import staff_officer
    from kelisim.organisations.models import ImportJob

    client.force_login(staff_officer())
    started = time.perf_counter()
    response = client.post(
        reverse("organisations:import_upload"),
        {"source": SimpleUploadedFile("registry.xlsx", bomb), "mode": "valid_rows"},
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_stored_registry_bomb_is_rejected_by_the_task_before_openpyxl_opens_it(monkeypatch, bomb):
    from kelisim.organisations.importing import jobs, reading
    from kelisim.organisations.models import ImportJob

    monkeypatch.setattr(reading, "_read_xlsx", lambda stream: pytest.fail("openpyxl was reached"))
    job = ImportJob(original_name="registry.xlsx")
    job.source.save("registry.xlsx", ContentFile(bomb), save=False)
    job.save()
    started = time.perf_counter()
    job = jobs.process_job(job.pk)
    assert time.perf_counter() - started < 2
    assert job.status == ImportJob.Status.REJECTED
    assert MESSAGE in job.errors[0]["message"]


def test_the_activity_import_refuses_the_bomb_at_upload_and_in_the_task(client, bomb, monkeypatch):
    from kelisim.activities import importing
    from kelisim.activities.models import ReportImport
    from kelisim.activities.tests.factories import OrganisationFactory, member_of

    organisation = OrganisationFactory()
    member = member_of(organisation)
    client.force_login(member)
    response = client.post(
        reverse("activities:import_upload", args=[organisation.pk]),
        {"source": SimpleUploadedFile("reports.xlsx", bomb)},
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not ReportImport.objects.exists()

    monkeypatch.setattr("openpyxl.load_workbook", lambda *args, **kwargs: pytest.fail("openpyxl was reached"))
    job = ReportImport(organisation=organisation, created_by=member, original_name="reports.xlsx")
    job.source.save("reports.xlsx", ContentFile(bomb), save=False)
    job.save()
    job = importing.process_job(job.pk)
    assert job.status == ReportImport.Status.REJECTED
    assert MESSAGE in job.errors[0]["message"]
