from django_tasks import task

from kelisim.notifications import services


@task()
def send_daily_digests() -> int:
    """Every 15 minutes: the daily digests not yet sent (each one once, claimed by its Digest row)."""
    return services.send_daily_digests()
