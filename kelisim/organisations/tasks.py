from django_tasks import task


@task()
def run_import(job_id: int, language: str = "") -> str:
    """Check one uploaded file and keep what it would do (its preview), or, once confirmed, write it
    (see kelisim.organisations.importing).

    The report's messages are written in the language the officer uploaded the file in. A job that ended is
    not run again. A job still marked running when its task runs again belongs to a worker that died (the
    queue only hands a task out again once its lease ran out): it is queued again and run to its end; rows
    are matched by BIN, so rows the dead run already saved are updated, not duplicated.
    """
    from django.conf import settings
    from django.utils import translation

    from kelisim.organisations.importing.jobs import process_job
    from kelisim.organisations.models import ImportJob

    # Checking again is harmless; writing again is too (rows are matched by BIN), once confirmed.
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, confirmed_at__isnull=True).update(
        status=ImportJob.Status.QUEUED, stage=ImportJob.Stage.WAITING
    )
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, confirmed_at__isnull=False).update(
        status=ImportJob.Status.CONFIRMED, stage=ImportJob.Stage.WAITING
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        return process_job(job_id).status
