"""What a node is doing (issue 12): a request id on every log line, JSON logs, and the id carried into tasks.

- ``RequestIdMiddleware`` (first in MIDDLEWARE) takes the id nginx sends in ``X-Request-ID`` when it looks like
  one, or makes one; it is returned in the answer's ``X-Request-ID`` and put on every log record written while
  the request runs (``RequestIdFilter``), with one ``kelisim.request`` line per request (method, path, view,
  status, duration).
- A task enqueued during a request remembers the request's id (in the shared cache, for a day); when a worker
  starts the task, the id is put back, so the task's log lines carry the id of the request that caused them.
- ``LOG_FORMAT=json`` (the default in production) writes one JSON object per line for journald or a log
  shipper; ``text`` keeps readable lines for a laptop.
"""

import contextvars
import logging
import re
import time
import uuid

from django.core.cache import cache

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("kelisim_request_id", default="")
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
TASK_KEY = "kelisim:task-request-id:{}"
TASK_KEY_SECONDS = 24 * 60 * 60
request_log = logging.getLogger("kelisim.request")
task_log = logging.getLogger("kelisim.task")


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if ACCEPTED_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# --- Tasks ------------------------------------------------------------------------------------
_previous: dict[str, contextvars.Token] = {}


def remember_request_of_task(sender, task_result, **kwargs):
    request_id = request_id_var.get()
    if not request_id:
        return
    try:
        cache.set(TASK_KEY.format(task_result.id), request_id, TASK_KEY_SECONDS)
    except Exception:  # a cache outage must never refuse the write that enqueued the task
        task_log.warning("could not remember the request id of task %s", task_result.id)


def restore_request_of_task(sender, task_result, **kwargs):
    try:
        request_id = cache.get(TASK_KEY.format(task_result.id)) or ""
    except Exception:
        request_id = ""
    request_id = request_id or request_id_var.get()
    _previous[str(task_result.id)] = request_id_var.set(request_id)
    task_log.info(
        "task %s started", task_result.task.name, extra={"task": task_result.task.name, "task_id": str(task_result.id)}
    )


def forget_request_of_task(sender, task_result, **kwargs):
    task_log.info(
        "task %s finished: %s",
        task_result.task.name,
        task_result.status,
        extra={"task": task_result.task.name, "task_id": str(task_result.id), "task_status": str(task_result.status)},
    )
    token = _previous.pop(str(task_result.id), None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # finished in another context than it started (a worker thread): nothing to restore
            request_id_var.set("")


def connect_task_signals() -> None:
    """Called from CoreConfig.ready() (this module is also imported by settings, before apps are ready)."""
    from django_tasks.signals import task_enqueued, task_finished, task_started

    task_enqueued.connect(remember_request_of_task, dispatch_uid="kelisim-request-id-enqueued")
    task_started.connect(restore_request_of_task, dispatch_uid="kelisim-request-id-started")
    task_finished.connect(forget_request_of_task, dispatch_uid="kelisim-request-id-finished")


def sentry_before_send(event, hint):
    """Sentry events carry the request id, so an error report leads to the node's and nginx's log lines."""
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event
