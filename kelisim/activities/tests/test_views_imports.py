"""The XLSX import's pages (kelisim.activities.views.imports)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kelisim.activities.importing import COLUMN_NAMES
from kelisim.activities.models import ActivityReport, ReportImport
from kelisim.activities.tests.factories import (
    OrganisationFactory,
    member_of,
    xlsx_of,
)
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def _workbook(rows) -> io.BytesIO:
    buffer = io.BytesIO(xlsx_of(rows))
    buffer.name = "reports.xlsx"
    return buffer


def _row(**overrides):
    return {
        "activity_type": "lecture",
        "title": "Lecture",
        "start_date": "2026-01-15",
        "region": "KZ-62",
        "venue_type": "school",
        "strand": "youth",
        "audiences": "school_students",
        "female_14_18": 10,
        "male_14_18": 8,
    } | overrides


def test_import_with_errors_imports_nothing_and_names_row_and_column(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    rows = [_row(), _row(region="KZ-99"), _row(), _row(male_14_18="many", start_date="31/31/2026")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": _workbook(rows)})
    job = ReportImport.objects.get()
    assert response.url == reverse("activities:import_detail", args=[job.pk])
    assert job.status == "rejected" and not ActivityReport.objects.exists()
    assert {(error["row"], error["column"]) for error in job.errors} == {
        (3, "F region"),
        (5, "D start_date"),
        (5, "R male_14_18"),
    }
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page and "F region" in page


def test_import_of_150_rows_submits_them_all(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    rows = [_row(title=f"Meeting {n}", start_date=f"2026-{1 + n % 12:02d}-0{1 + n % 9}") for n in range(150)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": _workbook(rows)})
    job = ReportImport.objects.get()
    # Issue 15: the file is checked and previewed first; nothing is written before confirmation.
    assert job.status == "preview" and not ActivityReport.objects.exists()
    page = client.get(reverse("activities:import_detail", args=[job.pk])).content.decode()
    assert "confirm to submit these 150 reports" in page and "Meeting 0" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:import_decide", args=[job.pk]), {"decision": "confirm"})
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 150)
    assert ActivityReport.objects.filter(status="submitted", organisation=organisation).count() == 150
    assert ActivityReport.history.filter(history_change_reason__startswith="imported").count() == 150


def test_template_lists_every_column_and_the_codes(client):
    StrandFactory(code="youth")
    client.force_login(member_of(OrganisationFactory()))
    workbook = load_workbook(io.BytesIO(client.get(reverse("activities:import_template")).content))
    assert [cell.value for cell in workbook["reports"][1]] == COLUMN_NAMES
    codes = {(row[0], row[1]) for row in workbook["codes"].iter_rows(values_only=True)}
    assert ("region", "KZ-62") in codes and ("strand", "youth") in codes


def test_the_templates_example_row_is_never_imported(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    template = io.BytesIO(client.get(reverse("activities:import_template")).content)
    template.name = "reports.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": template})
    job = ReportImport.objects.get()
    assert job.status == "rejected" and not ActivityReport.objects.exists()
    assert any("example row" in error["message"] for error in job.errors)


def test_a_cancelled_import_writes_nothing(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": _workbook([_row()])})
    job = ReportImport.objects.get()
    client.post(reverse("activities:import_decide", args=[job.pk]), {"decision": "cancel"})
    job.refresh_from_db()
    assert job.status == "cancelled" and not ActivityReport.objects.exists()
    client.post(reverse("activities:import_decide", args=[job.pk]), {"decision": "confirm"})
    job.refresh_from_db()
    assert job.status == "cancelled"
