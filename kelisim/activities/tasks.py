from django_tasks import task


@task()
def run_import(job_id: int, language: str = "") -> str:
    """Check and import one uploaded file of reports (see kelisim.activities.importing).

    The validation report is written in the language the file was uploaded in. A job that already ended
    (done, rejected, failed) is not run again: a task delivered twice must not import its reports twice.
    A job still marked running is run again: its reports are written in one transaction with the "done"
    status, so a run that died before the end left nothing behind.
    """
    from django.conf import settings
    from django.utils import translation

    from kelisim.activities.importing import process_job
    from kelisim.activities.models import ReportImport

    unfinished = (ReportImport.Status.QUEUED, ReportImport.Status.RUNNING, ReportImport.Status.CONFIRMED)
    status = ReportImport.objects.filter(pk=job_id).values_list("status", flat=True).first()
    if status not in unfinished:
        return status or "missing"
    with translation.override(language or settings.LANGUAGE_CODE):
        return process_job(job_id).status
