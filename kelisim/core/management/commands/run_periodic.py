import logging
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from kelisim.core import registry
from kelisim.core.periodic import enqueue_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Enqueue the registered periodic tasks (outbox retries, reminders, scheduled publishing) when due, once "
        "per due time however many schedulers run. Runs as a loop that outlives database outages, or once from "
        "cron with --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now and exit.")
        parser.add_argument("--tick", type=float, default=15.0, help="Seconds between checks in loop mode.")

    def handle(self, *args, once: bool, tick: float, **options):
        if once:
            for key in enqueue_due():
                self.stdout.write(f"enqueued {key}")
            return
        self.stdout.write(f"Periodic tasks: {', '.join(p.key for p in registry.periodic_tasks()) or 'none'}")
        while True:
            try:
                close_old_connections()
                for key in enqueue_due():
                    self.stdout.write(f"enqueued {key}")
            except (OperationalError, InterfaceError) as error:
                logger.warning("Database unavailable (%s); the scheduler keeps trying", error)
                self.stderr.write(f"database unavailable: {error}")
                connection.close()
            time.sleep(tick)
