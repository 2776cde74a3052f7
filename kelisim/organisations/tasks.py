from django_tasks import task


@task()
def run_import(job_id: int, language: str = "") -> str:
    """Check and import one uploaded file (see kelisim.organisations.importing).

    The report's messages are written in the language the officer uploaded the file in.
    """
    from django.conf import settings
    from django.utils import translation

    from kelisim.organisations.importing.jobs import process_job

    with translation.override(language or settings.LANGUAGE_CODE):
        return process_job(job_id).status
