"""The broker-backed backend (django-tasks-rq on Redis) with Kelisim's retrying queue: a job whose worker is
SIGKILLed mid-run is run again by another worker ("at least once"). Needs Redis on 127.0.0.1:6379 and runs
real `manage.py rqworker` processes; skipped when Redis is not reachable, unless CI is set."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import override_settings

REDIS_URL = os.environ.get("RQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
ROOT = Path(__file__).resolve().parents[3]
RQ_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": []}},
    "RQ_QUEUES": {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}},
    "RQ": {"QUEUE_CLASS": "kelisim.core.rq.RetryingQueue", "JOB_CLASS": "django_tasks_rq.Job"},
}


@pytest.fixture
def redis():
    import redis as redis_client

    connection = redis_client.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis_client.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (CI runs this test)")
    connection.flushdb()
    yield connection
    connection.flushdb()


def start_worker(*options) -> subprocess.Popen:
    env = os.environ | {"TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": REDIS_URL}
    command = [sys.executable, "manage.py", "rqworker", "default", *options]
    return subprocess.Popen(  # noqa: S603 (a fixed command: this interpreter and manage.py)
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its work-horse, as when the machine is lost."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def enqueue_and_kill_mid_run(marker: Path):
    """Enqueue the task, let a worker start it, SIGKILL that worker; returns the abandoned job."""
    import django_rq
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    from kelisim.core.tests.rq_tasks import hang_on_first_run

    result = hang_on_first_run.enqueue(str(marker), 120)
    queue = django_rq.get_queue("default")
    job = queue.fetch_job(result.id)
    first = start_worker()
    try:
        assert wait_for(lambda: marker.exists(), 60), "the first worker never started the job"
    finally:
        kill(first)
    assert job.get_status(refresh=True) == JobStatus.STARTED  # abandoned: nobody will finish it
    # The started-registry entry expires after the job's timeout; a live worker's maintenance then cleans it
    # up. Here the clean-up is run as if that time had passed.
    StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 100_000)
    return job


@override_settings(**(RQ_SETTINGS | {"RQ": {"JOB_CLASS": "django_tasks_rq.Job"}}))
def test_without_retries_plain_rq_gives_up_on_a_job_whose_worker_was_killed(redis, tmp_path):
    """Why Kelisim sets its own queue class: django-tasks-rq alone is "at most once"."""
    from rq.job import JobStatus

    job = enqueue_and_kill_mid_run(tmp_path / "runs.txt")
    assert job.get_status(refresh=True) == JobStatus.FAILED


@override_settings(**RQ_SETTINGS)
def test_a_job_whose_worker_was_killed_runs_again_on_another_worker(redis, tmp_path):
    from rq.job import JobStatus

    marker = tmp_path / "runs.txt"
    job = enqueue_and_kill_mid_run(marker)
    job.refresh()
    assert job.retries_left == 3  # one of the four retries used
    assert job.get_status(refresh=True) in (JobStatus.SCHEDULED, JobStatus.QUEUED)
    second = start_worker("--with-scheduler")
    try:
        assert wait_for(lambda: job.get_status(refresh=True) == JobStatus.FINISHED, 90)
    finally:
        kill(second)
    assert marker.read_text().count("run") == 2
    assert job.return_value() == 2
