from io import StringIO

import pytest
from django.core.management import call_command

from kelisim.core import registry


def test_every_app_registers_its_periodic_work():
    keys = {periodic.key for periodic in registry.periodic_tasks()}
    assert {"core.flush_outbox", "meetings.reminders", "publications.scheduled"} <= keys


@pytest.mark.django_db
def test_run_periodic_once_enqueues_each_task(mailoutbox):
    output = StringIO()
    call_command("run_periodic", "--once", stdout=output)
    for periodic in registry.periodic_tasks():
        assert f"enqueued {periodic.key}" in output.getvalue()


@pytest.mark.django_db(transaction=True)
def test_schedulers_on_every_node_enqueue_each_due_time_once():
    """Issue 12: four schedulers (one per node) wake at the same instant, five due times in a row; each periodic
    task is enqueued exactly once per due time (a conditional update on core_periodicslot decides)."""
    import threading
    from collections import Counter

    from django.db import connection

    from kelisim.core.periodic import enqueue_due

    if connection.vendor != "postgresql":
        pytest.skip("a cluster's schedulers share PostgreSQL; the in-memory SQLite test database locks whole tables")
    schedulers, rounds = 4, 5
    every = {periodic.key: periodic.every_seconds for periodic in registry.periodic_tasks()}
    longest = max(every.values())
    enqueued, errors = Counter(), []
    lock = threading.Lock()

    def node(barrier, now):
        try:
            barrier.wait(10)
            keys = enqueue_due(now=now)
            with lock:
                enqueued.update((key, int(now // every[key])) for key in keys)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    start = 1_900_000_000 - 1_900_000_000 % longest
    for round_number in range(rounds):
        now = start + round_number * longest
        barrier = threading.Barrier(schedulers)
        threads = [threading.Thread(target=node, args=(barrier, now)) for _ in range(schedulers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert errors == []
    assert set(enqueued.values()) == {1}
    assert len(enqueued) == rounds * len(every)
