from django_tasks import task

from kelisim.publications.services import publish_due_articles


@task()
def publish_scheduled_articles() -> int:
    """Flip scheduled articles whose time has come to published (run it every few minutes)."""
    return publish_due_articles()
