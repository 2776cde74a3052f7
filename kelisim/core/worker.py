"""At-least-once background work on django-tasks-db: leases, retries with back-off, and workers that outlive a
database outage.

django-tasks-db claims a task by marking it RUNNING; if the worker is then killed the task stays RUNNING for
ever. Kelisim's worker (``manage.py db_worker``, which replaces the library's command of that name) adds:

- a **heartbeat**: every worker writes ``WorkerHeartbeat.last_seen`` every ``TASK_HEARTBEAT_SECONDS``;
- a **sweeper**: a task RUNNING under a worker whose heartbeat is older than ``TASK_LEASE_SECONDS`` (or under
  no known worker for that long) is put back to READY after a back-off, or FAILED for good once it has been
  tried ``TASK_MAX_ATTEMPTS`` times; every worker sweeps, and a row lock makes each take-over happen once;
- **retries**: a task that raised is tried again after an exponential back-off, up to the same limit; the
  final FAILED state is visible (and can be retried) in the admin;
- **reconnection**: a lost database connection never ends the worker: it waits, reconnects and goes on.

Because a task may run more than once (a worker can die after the work but before recording success), every
task handler must make its second run harmless: claim work with conditional updates, write with
``update_or_create``, skip what is already done.
"""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kelisim.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

LEASE_SECONDS = getattr(settings, "TASK_LEASE_SECONDS", 60)
HEARTBEAT_SECONDS = getattr(settings, "TASK_HEARTBEAT_SECONDS", 10)
MAX_ATTEMPTS = getattr(settings, "TASK_MAX_ATTEMPTS", 5)
MAX_BACKOFF_SECONDS = 600
CONNECTION_ERRORS = (OperationalError, InterfaceError)
WORKER_LOST = "kelisim.core.worker.WorkerLost"


def backoff_seconds(attempts: int) -> int:
    """5 s, 10 s, 20 s, … after the 1st, 2nd, 3rd attempt, at most ten minutes."""
    return min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, attempts - 1))


def attempts_of(result: DBTaskResult) -> int:
    return len(result.worker_ids or [])


def retry_later_or_fail(result: DBTaskResult, *, reason: str, now=None) -> str:
    """Put a claimed task back in the queue after a back-off, or fail it for good at the attempt limit.
    The caller holds the row's lock."""
    now = now or timezone.now()
    attempts = attempts_of(result)
    if attempts >= MAX_ATTEMPTS:
        result.status = TaskResultStatus.FAILED
        result.finished_at = now
        if not result.exception_class_path:
            result.exception_class_path = WORKER_LOST
        result.traceback = f"{reason}\nGave up after {attempts} attempts.\n\n{result.traceback}".strip()
        result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        return "failed"
    result.status = TaskResultStatus.READY
    result.run_after = now + timezone.timedelta(seconds=backoff_seconds(attempts))
    result.finished_at = None
    result.traceback = f"{reason} (attempt {attempts} of {MAX_ATTEMPTS}).\n\n{result.traceback}".strip()[:20000]
    result.save(update_fields=["status", "run_after", "finished_at", "traceback"])
    return "retry"


def sweep_stalled_tasks(now=None) -> dict[str, int]:
    """Take up RUNNING tasks whose worker stopped beating; return how many were re-queued and failed."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))
    outcome = {"retry": 0, "failed": 0}
    candidates = DBTaskResult.objects.running().filter(Q(started_at__lt=cutoff) | Q(started_at__isnull=True))
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            result = DBTaskResult.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if result is None or result.status != TaskResultStatus.RUNNING:
                continue
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue  # a long task under a live worker
            outcome[retry_later_or_fail(result, reason="The worker running this task stopped", now=now)] += 1
    if any(outcome.values()):
        logger.warning("Took up stalled tasks: %s", outcome)
    return outcome


def retry_task(result: DBTaskResult) -> None:
    """An officer's "try again" on a failed task: back to READY now, with a fresh count of attempts."""
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().get(pk=result.pk)
        if result.status != TaskResultStatus.FAILED:
            return
        result.status = TaskResultStatus.READY
        result.run_after = timezone.now()
        result.finished_at = None
        result.worker_ids = []
        result.save(update_fields=["status", "run_after", "finished_at", "worker_ids"])


class Heartbeat(threading.Thread):
    """Beats for the worker and sweeps stalled tasks, on its own database connection."""

    def __init__(self, worker_id: str, queues: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"last_seen": now, "queues": self.queues[:255]},
            create_defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "queues": self.queues[:255]},
        )
        sweep_stalled_tasks(now)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
            except CONNECTION_ERRORS as error:
                logger.warning("Heartbeat could not reach the database: %s", error)
                connection.close()
            except Exception:
                logger.exception("Heartbeat failed")
            self.stopped.wait(HEARTBEAT_SECONDS)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:  # the lease expires on its own
            logger.info("Could not remove the heartbeat of %s", self.worker_id)
        finally:
            connection.close()


class ReliableWorker(Worker):
    def __init__(self, **options):
        super().__init__(**options)
        self.interrupted: set = set()  # tasks whose run was cut off by a lost connection

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
            db_task_result.refresh_from_db(fields=["status", "worker_ids", "traceback", "exception_class_path"])
        except CONNECTION_ERRORS:
            self.interrupted.add(db_task_result.pk)
            raise
        if db_task_result.status == TaskResultStatus.FAILED:
            with transaction.atomic():
                locked = DBTaskResult.objects.select_for_update().get(pk=db_task_result.pk)
                if locked.status == TaskResultStatus.FAILED:
                    retry_later_or_fail(locked, reason=f"The task raised {locked.exception_class_path}")

    def take_up_interrupted(self) -> None:
        """After a reconnection: the tasks this worker was running when the connection dropped run again."""
        for pk in sorted(self.interrupted, key=str):
            with transaction.atomic():
                result = DBTaskResult.objects.select_for_update().filter(pk=pk).first()
                if result is not None and result.status == TaskResultStatus.RUNNING:
                    retry_later_or_fail(result, reason="The worker lost its database connection while running it")
        self.interrupted.clear()

    def run(self) -> None:
        """The library's loop, restarted after any lost connection instead of ending the process."""
        heartbeat = Heartbeat(self.worker_id, ",".join(self.queue_names))
        heartbeat.start()
        pause, last_failure = 1.0, 0.0
        try:
            while self.running:
                try:
                    if self.interrupted:
                        self.take_up_interrupted()
                    super().run()
                    return
                except CONNECTION_ERRORS as error:
                    if time.monotonic() - last_failure > 60:
                        pause = 1.0
                    last_failure = time.monotonic()
                    logger.warning("Database unavailable (%s); retrying in %.0f s", error, pause)
                    close_old_connections()
                    connection.close()
                    time.sleep(pause)
                    pause = min(pause * 2, 30.0)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=HEARTBEAT_SECONDS + 5)
