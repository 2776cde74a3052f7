import time

from django.core.management.base import BaseCommand

from kelisim.core import registry


class Command(BaseCommand):
    help = (
        "Enqueue the registered periodic tasks (outbox retries, reminders, scheduled publishing) when due. "
        "Runs as a small loop beside the workers, or once per minute from cron with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once and exit.")
        parser.add_argument("--tick", type=float, default=15.0, help="Seconds between checks in loop mode.")

    def handle(self, *args, once: bool, tick: float, **options):
        if once:
            for periodic in registry.periodic_tasks():
                periodic.task.enqueue()
                self.stdout.write(f"enqueued {periodic.key}")
            return
        last_run: dict[str, float] = {}
        self.stdout.write(f"Periodic tasks: {', '.join(p.key for p in registry.periodic_tasks()) or 'none'}")
        while True:
            now = time.monotonic()
            for periodic in registry.periodic_tasks():
                if now - last_run.get(periodic.key, -periodic.every_seconds) >= periodic.every_seconds:
                    periodic.task.enqueue()
                    last_run[periodic.key] = now
            time.sleep(tick)
