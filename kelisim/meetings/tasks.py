from django_tasks import task

from kelisim.meetings import services


@task()
def send_roundtable_reminders() -> int:
    """Remind participants of tomorrow's roundtables; run hourly (cron or a scheduler enqueues it)."""
    return services.send_reminders()
