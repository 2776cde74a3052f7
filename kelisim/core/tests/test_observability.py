"""Request ids (issue 12): every answer carries one, every log line written for it names it, and a task
enqueued by the request logs it too when a worker runs it later; JSON log lines for production."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_tasks import task

from kelisim.core import observability

SEEN = []


@task()
def note_the_request_id() -> None:
    SEEN.append(observability.current_request_id())
    logging.getLogger("kelisim.test").warning("inside the task")


def through_middleware(headers=None):
    seen = {}

    def view(request):
        seen["id"] = observability.current_request_id()
        return HttpResponse("ok")

    response = observability.RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers or {}))
    return response, seen["id"]


def test_each_answer_carries_a_new_request_id():
    first, first_seen = through_middleware()
    second, _ = through_middleware()
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] == first_seen
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert observability.current_request_id() == ""  # nothing leaks into the next request on this thread


def test_the_balancers_request_id_is_kept_and_a_strange_one_replaced():
    kept, seen = through_middleware({"X-Request-ID": "nginx-4f9c2a1b77"})
    assert kept["X-Request-ID"] == seen == "nginx-4f9c2a1b77"
    replaced, _ = through_middleware({"X-Request-ID": "<script>alert(1)</script>"})
    assert replaced["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_name_the_request_and_are_json():
    formatter = logging.config.dictConfigClass({"version": 1}).configure_custom(
        {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s"}
    )
    record = logging.LogRecord("kelisim.test", logging.WARNING, __file__, 1, "payment %s", ("refused",), None)
    token = observability.request_id_var.set("req-0123456789")
    try:
        observability.RequestIdFilter().filter(record)
    finally:
        observability.request_id_var.reset(token)
    line = json.loads(formatter.format(record))
    assert line == {
        "levelname": "WARNING",
        "name": "kelisim.test",
        "message": "payment refused",
        "request_id": "req-0123456789",
    }


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_the_id_of_the_request_that_enqueued_it(settings):
    from kelisim.core.tests.test_worker import run_worker_until_idle

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    SEEN.clear()
    token = observability.request_id_var.set("req-abcdef123456")
    try:
        note_the_request_id.enqueue()
    finally:
        observability.request_id_var.reset(token)
    assert observability.current_request_id() == ""
    run_worker_until_idle()  # later, in a worker: the id comes back from the shared cache
    assert SEEN == ["req-abcdef123456"]
    assert observability.current_request_id() == ""
