from django_tasks import task


@task()
def run_import(job_id: int, language: str = "") -> str:
    """Check and import one uploaded file of reports (see kelisim.activities.importing).

    The validation report is written in the language the file was uploaded in.
    """
    from django.conf import settings
    from django.utils import translation

    from kelisim.activities.importing import process_job

    with translation.override(language or settings.LANGUAGE_CODE):
        return process_job(job_id).status
