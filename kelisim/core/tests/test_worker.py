"""Background work runs at least once: a dead worker's task is taken up again, a failing task is retried with
back-off and then failed visibly, and a lost database connection never ends the worker."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kelisim.core import worker
from kelisim.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)
RUNS = []


@task()
def count_a_run(label: str) -> str:
    RUNS.append(label)
    return label


@task()
def always_fails() -> None:
    raise RuntimeError("the remote service said no")


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    RUNS.clear()


def build_worker(worker_id: str = "test-worker") -> worker.ReliableWorker:
    """A worker over every queue that stops when the queue is empty."""
    return worker.ReliableWorker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )


def run_worker_until_idle(worker_id: str = "test-worker") -> None:
    with mock.patch.object(worker.Heartbeat, "start"), mock.patch.object(worker.Heartbeat, "join"):
        build_worker(worker_id).run()


def claimed_by(worker_id: str, minutes_ago: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=count_a_run.enqueue("lost").id)
    result.claim(worker_id)
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(minutes=minutes_ago))
    return result


def make_due(result: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=result.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_task_whose_worker_was_killed_is_taken_up_again_after_the_lease_and_runs():
    result = claimed_by("killed-worker", minutes_ago=5)

    assert worker.sweep_stalled_tasks() == {"retry": 1, "failed": 0}
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY
    assert result.run_after > timezone.now()  # after a back-off, not at once

    make_due(result)
    run_worker_until_idle()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert RUNS == ["lost"]
    assert result.worker_ids == ["killed-worker", "test-worker"]


def test_a_long_task_under_a_worker_that_still_beats_is_left_alone():
    WorkerHeartbeat.objects.create(worker_id="busy-worker", hostname="node-1", pid=1, queues="*")
    result = claimed_by("busy-worker", minutes_ago=30)

    assert worker.sweep_stalled_tasks() == {"retry": 0, "failed": 0}
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING


def test_a_task_that_keeps_losing_its_worker_fails_visibly_and_an_officer_can_retry_it():
    result = DBTaskResult.objects.get(pk=count_a_run.enqueue("unlucky").id)
    for attempt in range(worker.MAX_ATTEMPTS):
        result.refresh_from_db()
        result.claim(f"worker-{attempt}")
        DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - timedelta(hours=1))
        worker.sweep_stalled_tasks()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == worker.WORKER_LOST
    assert "stopped" in result.traceback

    worker.retry_task(result)
    run_worker_until_idle()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_failing_task_is_retried_with_growing_back_off_then_failed_for_good():
    result = DBTaskResult.objects.get(pk=always_fails.enqueue().id)
    waits = []
    for _ in range(worker.MAX_ATTEMPTS):
        make_due(result)
        run_worker_until_idle()
        result.refresh_from_db()
        if result.status == TaskResultStatus.READY:
            waits.append((result.run_after - timezone.now()).total_seconds())
    assert result.status == TaskResultStatus.FAILED
    assert len(result.worker_ids) == worker.MAX_ATTEMPTS
    assert len(waits) == worker.MAX_ATTEMPTS - 1
    assert waits == sorted(waits) and waits[0] > 0


def test_a_lost_database_connection_does_not_end_the_worker():
    calls = []

    def flaky_run(self):
        calls.append("run")
        if len(calls) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(Worker, "run", flaky_run), mock.patch("kelisim.core.worker.time.sleep") as slept:
        run_worker_until_idle()
    assert calls == ["run", "run", "run"]
    assert [call.args[0] for call in slept.call_args_list] == [1.0, 2.0]


def test_a_task_cut_off_by_a_lost_connection_is_queued_again_by_its_own_worker():
    result = claimed_by("test-worker", minutes_ago=0)
    reliable = build_worker()
    reliable.interrupted.add(result.pk)
    reliable.take_up_interrupted()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY


def test_the_heartbeat_records_the_worker_and_sweeps():
    beat = worker.Heartbeat("node-2-worker", "*")
    claimed_by("gone-worker", minutes_ago=10)
    beat.beat()
    assert WorkerHeartbeat.objects.get(worker_id="node-2-worker").last_seen > timezone.now() - timedelta(seconds=5)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_an_administrator_runs_failed_tasks_again_from_the_admin():
    from django.contrib import admin

    from kelisim.core.admin import TaskResultAdmin

    failed = DBTaskResult.objects.get(pk=count_a_run.enqueue("again").id)
    DBTaskResult.objects.filter(pk=failed.pk).update(status=TaskResultStatus.FAILED, worker_ids=["w"] * 5)
    waiting = DBTaskResult.objects.get(pk=count_a_run.enqueue("waiting").id)
    task_admin = TaskResultAdmin(DBTaskResult, admin.site)
    with mock.patch.object(task_admin, "message_user") as told:
        task_admin.retry_failed(None, DBTaskResult.objects.filter(pk__in=[failed.pk, waiting.pk]))
    assert "1 task queued again" in told.call_args.args[1]
    run_worker_until_idle()
    assert sorted(RUNS) == ["again", "waiting"]
