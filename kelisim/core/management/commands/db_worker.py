"""``manage.py db_worker``: django-tasks-db's worker with Kelisim's leases, retries and reconnection
(``kelisim.core.worker``). It takes every queue unless told otherwise, so one worker is enough for `make run`;
a server may run a second one for ``--queue-name email`` so that a slow mail server never delays other work."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands import db_worker

from kelisim.core.worker import ReliableWorker

WORKER_OPTIONS = ("interval", "batch", "backend_name", "startup_delay", "max_tasks", "worker_id")


class Command(db_worker.Command):
    help = "Run background tasks at least once: heartbeats, leases, retries with back-off, reconnection."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReliableWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            **{name: options[name] for name in WORKER_OPTIONS},
        )
        worker.configure_signals()
        worker.run()
