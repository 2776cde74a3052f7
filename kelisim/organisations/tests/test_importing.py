import csv
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kelisim.core.exports import xlsx_bytes
from kelisim.core.tests.factories import StrandFactory
from kelisim.organisations import services
from kelisim.organisations.importing import checks, columns, jobs
from kelisim.organisations.models import ImportJob, Organisation
from kelisim.organisations.tests.factories import OrganisationFactory, officer, valid_bin

pytestmark = pytest.mark.django_db

HEADER = [
    "bin",
    "name_ru",
    "name_en",
    "legal_form",
    "region",
    "registration_date",
    "strands",
    "public_email",
    "website",
]


def row(serial, **overrides):
    values = {
        "bin": valid_bin(serial),
        "name_ru": f"НПО {serial}",
        "name_en": f"NGO {serial}",
        "legal_form": "public_association",
        "region": "KZ-71",
        "registration_date": "2015-01-20",
        "strands": "youth",
        "public_email": f"ngo{serial}@example.kz",
        "website": "https://ngo.example.kz",
    }
    values.update(overrides)
    return [values[name] for name in HEADER]


def csv_file(rows, name="registry.csv", header=HEADER, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


def xlsx_file(rows, header=HEADER):
    return SimpleUploadedFile("registry.xlsx", xlsx_bytes(header, rows))


@pytest.fixture(autouse=True)
def strands():
    StrandFactory(code="youth")
    StrandFactory(code="prisons")


def run(upload, mode, django_capture_on_commit_callbacks, *, confirm=True):
    """Upload, check (the preview), and — as the officer does after reading it — confirm, so the file is written."""
    actor = officer()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_import(actor=actor, uploaded_file=upload, mode=mode)
    job.refresh_from_db()
    if confirm and job.status == ImportJob.Status.PREVIEW:
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import(actor=actor, job=job)
        job.refresh_from_db()
    return job


def errors_of(job):
    return {(error["row"], error["column"], error["code"]) for error in job.errors}


def test_a_clean_file_is_imported_with_strands_and_history(django_capture_on_commit_callbacks):
    job = run(csv_file([row(1, strands="youth;prisons"), row(2)]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.updated_count, job.error_count) == ("done", 2, 0, 0)
    assert (job.total_rows, job.processed_rows, job.saved_rows, job.progress_percent) == (2, 2, 2, 100)
    organisation = Organisation.objects.get(bin=valid_bin(1))
    assert sorted(organisation.focus_strands.values_list("code", flat=True)) == ["prisons", "youth"]
    assert organisation.region.code == "KZ-71" and str(organisation.registration_date) == "2015-01-20"
    record = organisation.history.latest()
    assert record.history_user == job.created_by and f"import #{job.pk}" in record.history_change_reason
    assert (record.history_type, record.name_ru, record.region_id) == (
        "+",
        organisation.name_ru,
        organisation.region_id,
    )
    assert record.verification_status == "unverified" and record.created_at == organisation.created_at


def test_every_kind_of_error_is_reported_with_row_and_column(django_capture_on_commit_callbacks):
    good = valid_bin(10)
    rows = [
        row(1, bin=""),  # row 2
        row(2, bin="12345"),  # row 3
        row(3, bin=good[:-1] + str((int(good[-1]) + 1) % 10)),  # row 4
        row(4, region="KZ-99"),  # row 5
        row(5, legal_form="llp"),  # row 6
        row(6, registration_date="31/02/2015"),  # row 7
        row(7, public_email="not-an-email"),  # row 8
        row(8, website="ftp://x"),  # row 9
        row(9, name_ru="", name_en=""),  # row 10
        row(20),  # row 11
        row(20),  # row 12: the same BIN again
        row(11, strands="youth;space"),  # row 13
        row(12, region=""),  # row 14
    ]
    job = run(csv_file(rows), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.REJECTED
    assert errors_of(job) == {
        (2, "bin", "required"),
        (3, "bin", "bin_format"),
        (4, "bin", "bin_check"),
        (5, "region", "unknown_region"),
        (6, "legal_form", "unknown_legal_form"),
        (7, "registration_date", "bad_date"),
        (8, "public_email", "bad_email"),
        (9, "website", "bad_url"),
        (10, "name_ru", "required"),
        (12, "bin", "duplicate_bin"),
        (13, "strands", "unknown_strand"),
        (14, "region", "required"),
    }
    assert job.error_count == 12
    assert not Organisation.objects.exists()


def test_valid_rows_mode_imports_the_good_rows_and_reports_the_others(django_capture_on_commit_callbacks):
    job = run(csv_file([row(1), row(2, region="KZ-00"), row(3)]), "valid_rows", django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.error_count) == ("done", 2, 1)
    assert errors_of(job) == {(3, "region", "unknown_region")}
    assert set(Organisation.objects.values_list("bin", flat=True)) == {valid_bin(1), valid_bin(3)}


def test_reimporting_updates_by_bin_instead_of_duplicating(django_capture_on_commit_callbacks):
    existing = OrganisationFactory(bin=valid_bin(1), name_en="Old name", verification_status="verified")
    job = run(
        csv_file([row(1, name_en="New name", strands="prisons"), row(2)]),
        "all_or_nothing",
        django_capture_on_commit_callbacks,
    )
    assert (job.created_count, job.updated_count) == (1, 1)
    existing.refresh_from_db()
    assert existing.name_en == "New name" and existing.verification_status == "verified"
    assert list(existing.focus_strands.values_list("code", flat=True)) == ["prisons"]
    record = existing.history.latest()
    assert (record.history_type, record.name_en, record.verification_status) == ("~", "New name", "verified")
    again = run(
        csv_file([row(1, name_en="New name", strands="prisons"), row(2)]),
        "all_or_nothing",
        django_capture_on_commit_callbacks,
    )
    assert (again.created_count, again.updated_count) == (0, 2)
    assert Organisation.objects.count() == 2


def test_all_or_nothing_leaves_nothing_when_saving_fails_half_way(django_capture_on_commit_callbacks):
    real_write = jobs.write_rows
    calls = []

    def write_then_fail(rows, **kwargs):
        calls.append(real_write(rows, **kwargs))
        raise RuntimeError("disk full")

    with mock.patch.object(jobs, "write_rows", write_then_fail):
        job = run(csv_file([row(1), row(2)]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert calls == [(2, 0)]
    assert job.status == ImportJob.Status.FAILED
    assert not Organisation.objects.exists()
    assert not Organisation.focus_strands.through.objects.exists()


def test_xlsx_with_numeric_bins_and_real_dates(django_capture_on_commit_callbacks):
    from datetime import datetime

    number = valid_bin(5)
    rows = [row(5, bin=int(number), registration_date=datetime(2016, 2, 22))]
    job = run(xlsx_file(rows), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == "done", job.errors
    assert str(Organisation.objects.get(bin=number).registration_date) == "2016-02-22"


def test_semicolon_separated_csv_is_understood(django_capture_on_commit_callbacks):
    job = run(csv_file([row(1)], delimiter=";"), "all_or_nothing", django_capture_on_commit_callbacks)
    assert job.status == "done", job.errors


def test_a_missing_required_column_rejects_the_file(django_capture_on_commit_callbacks):
    header = [name for name in HEADER if name != "region"]
    job = run(csv_file([row(1)[:4]], header=header), "valid_rows", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors[0]["row"] == 1 and "region" in job.errors[0]["message"]


def test_a_file_that_is_not_a_spreadsheet_is_rejected(django_capture_on_commit_callbacks):
    """Refused at upload by the content check, before a job exists or anything is stored."""
    upload = SimpleUploadedFile("registry.xlsx", b"this is not a zip")
    with pytest.raises(ValidationError) as refused:
        run(upload, "all_or_nothing", django_capture_on_commit_callbacks)
    assert "registry.xlsx" in str(refused.value.message_dict["source"])
    assert not ImportJob.objects.exists()


def test_the_templates_example_row_can_never_match_a_real_record(django_capture_on_commit_callbacks):
    """Issue 15: the template's example row carried a real NGO's BIN and renamed it at once ("Updated 1")."""
    real = OrganisationFactory()
    before = Organisation.objects.values_list("pk", "name_en", "name_ru").get(pk=real.pk)
    for upload in (
        SimpleUploadedFile("template.csv", columns.template_csv().encode("utf-8")),
        SimpleUploadedFile("template.xlsx", columns.template_xlsx()),
    ):
        job = run(upload, "valid_rows", django_capture_on_commit_callbacks)
        assert job.status == ImportJob.Status.REJECTED
        assert errors_of(job) == {(2, "bin", "example_row")}
    assert Organisation.objects.values_list("pk", "name_en", "name_ru").get(pk=real.pk) == before
    assert Organisation.objects.count() == 1


def test_the_preview_shows_creates_and_field_by_field_changes_and_writes_nothing(django_capture_on_commit_callbacks):
    existing = OrganisationFactory(bin=valid_bin(1), name_en="Old name", name_ru="НПО 1")
    job = run(
        csv_file([row(1, name_en="New name"), row(2), row(3, bin="123")]),
        "valid_rows",
        django_capture_on_commit_callbacks,
        confirm=False,
    )
    assert job.status == ImportJob.Status.PREVIEW
    preview = job.preview
    assert (preview["create_count"], preview["update_count"], job.error_count) == (1, 1, 1)
    changes = {change["field"]: (change["old"], change["new"]) for change in preview["updates"][0]["changes"]}
    assert changes["name_en"] == ("Old name", "New name")
    assert preview["creates"][0]["bin"] == valid_bin(2)
    existing.refresh_from_db()
    assert existing.name_en == "Old name" and not Organisation.objects.filter(bin=valid_bin(2)).exists()
    # Confirmed: written as previewed.
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_import(actor=officer(), job=job)
    job.refresh_from_db()
    existing.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count) == ("done", 1, 1)
    assert existing.name_en == "New name"


def test_a_cancelled_preview_writes_nothing_and_cannot_be_confirmed(django_capture_on_commit_callbacks):
    job = run(csv_file([row(1)]), "valid_rows", django_capture_on_commit_callbacks, confirm=False)
    services.cancel_import(actor=officer(), job=job)
    with pytest.raises(ValidationError):
        services.confirm_import(actor=officer(), job=job)
    assert not Organisation.objects.exists()


def test_a_job_is_processed_only_once(django_capture_on_commit_callbacks):
    job = run(csv_file([row(1)]), "all_or_nothing", django_capture_on_commit_callbacks)
    assert jobs.process_job(job.pk).status == "done"
    assert Organisation.history.count() == 1


def test_progress_is_reported_while_checking():
    seen = []
    rows = [(number, row(number)) for number in range(2, 2 + 2 * checks.PROGRESS_EVERY)]
    checks.check_rows(HEADER, rows, on_progress=seen.append)
    assert seen == [checks.PROGRESS_EVERY, 2 * checks.PROGRESS_EVERY]


def test_progress_percent_counts_checking_then_saving():
    job = ImportJob(status=ImportJob.Status.RUNNING, total_rows=100, processed_rows=100, saved_rows=50)
    assert job.progress_percent == 75
    assert ImportJob(status=ImportJob.Status.DONE).progress_percent == 100
