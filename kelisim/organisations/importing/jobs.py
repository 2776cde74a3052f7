"""One uploaded file from queued to done: read, check, write, and report (run by the background task)."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kelisim.core import files
from kelisim.organisations.importing.checks import check_rows
from kelisim.organisations.importing.preview import preview
from kelisim.organisations.importing.reading import FileError, read_rows
from kelisim.organisations.importing.writing import BATCH_SIZE, write_rows
from kelisim.organisations.models import ImportJob

logger = logging.getLogger(__name__)
MAX_REPORTED_ERRORS = 2000


def _update_job(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def process_job(job_id: int) -> ImportJob:
    """Run one step of an import job. Called by the background task; safe to call again.

    A queued job is read and checked, and what writing it would do is kept as its preview: nothing is written
    until an officer confirms (``services.confirm_import``). A confirmed job is read and checked again (the
    registry may have changed meanwhile) and written.
    """
    if ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, stage=ImportJob.Stage.READING
    ):
        return _check(ImportJob.objects.select_related("created_by").get(pk=job_id))
    if ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CONFIRMED).update(
        status=ImportJob.Status.RUNNING, stage=ImportJob.Stage.READING, processed_rows=0
    ):
        return _write(ImportJob.objects.select_related("created_by", "confirmed_by").get(pk=job_id))
    return ImportJob.objects.get(pk=job_id)


def _read_and_check(job: ImportJob):
    """The checked rows of the job's file, or None when the file itself was refused (the job is finished)."""
    try:
        try:  # before any parser opens it: its kind by content, and what an XLSX would expand to
            kind = files.check_stored(job.source, files.REGISTRY_IMPORT, name=job.original_name)
        except ValidationError as error:
            raise FileError(" ".join(error.messages)) from None
        with job.source.open("rb") as stream:
            header, rows = read_rows(files.EXTENSIONS[kind], stream)
        _update_job(job, total_rows=len(rows), stage=ImportJob.Stage.CHECKING)
        report = check_rows(header, rows, on_progress=lambda done: _update_job(job, processed_rows=done))
    except FileError as error:
        _finish(
            job, ImportJob.Status.REJECTED, errors=[{"row": 1, "column": "", "code": "file", "message": str(error)}]
        )
        return None
    _update_job(job, processed_rows=report.total, error_count=len(report.errors))
    return report


def _check(job: ImportJob) -> ImportJob:
    report = _read_and_check(job)
    if report is None:
        return job
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and report.errors:
        _finish(job, ImportJob.Status.REJECTED, errors=report.errors)
        return job
    if not report.rows:
        _finish(job, ImportJob.Status.REJECTED, errors=report.errors)
        return job
    summary = preview(report.rows)
    _update_job(
        job,
        status=ImportJob.Status.PREVIEW,
        stage=ImportJob.Stage.FINISHED,
        preview=summary,
        errors=report.errors[:MAX_REPORTED_ERRORS],
        error_count=len(report.errors),
    )
    return job


def _write(job: ImportJob) -> ImportJob:
    actor = job.confirmed_by or job.created_by
    reason = f"import #{job.pk}: {job.original_name}"[:100]
    report = _read_and_check(job)
    if report is None:
        return job
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        if report.errors:
            _finish(job, ImportJob.Status.REJECTED, errors=report.errors)
            return job
        _update_job(job, stage=ImportJob.Stage.SAVING)
        try:
            with transaction.atomic():
                created, updated = write_rows(report.rows, actor=actor, reason=reason)
        except Exception as error:
            logger.exception("Import %s failed; nothing was saved", job.pk)
            _finish(
                job, ImportJob.Status.FAILED, errors=[{"row": 0, "column": "", "code": "failed", "message": str(error)}]
            )
            return job
        _finish(job, ImportJob.Status.DONE, created_count=created, updated_count=updated, saved_rows=len(report.rows))
        return job

    _update_job(job, stage=ImportJob.Stage.SAVING)
    created = updated = saved = 0
    try:
        for start in range(0, len(report.rows), BATCH_SIZE):
            batch = report.rows[start : start + BATCH_SIZE]
            with transaction.atomic():
                batch_created, batch_updated = write_rows(batch, actor=actor, reason=reason)
            created, updated, saved = created + batch_created, updated + batch_updated, saved + len(batch)
            _update_job(job, created_count=created, updated_count=updated, saved_rows=saved)
    except Exception as error:
        logger.exception("Import %s failed after %s rows", job.pk, saved)
        _finish(
            job,
            ImportJob.Status.FAILED,
            errors=[*report.errors, {"row": 0, "column": "", "code": "failed", "message": str(error)}],
        )
        return job
    _finish(job, ImportJob.Status.DONE, errors=report.errors)
    return job


def _finish(job: ImportJob, status: str, *, errors: list[dict] | None = None, **values) -> None:
    errors = errors or []
    _update_job(
        job,
        status=status,
        stage=ImportJob.Stage.FINISHED,
        errors=errors[:MAX_REPORTED_ERRORS],
        error_count=len(errors),
        finished_at=timezone.now(),
        **values,
    )
