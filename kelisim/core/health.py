"""Health endpoints for load balancers and orchestrators.

- ``/healthz`` is liveness: the process answers, with the release it runs (settings.RELEASE). It touches
  neither the database nor the cache, so a node is never taken out because a shared service blinked, and it
  answers in milliseconds.
- ``/readyz`` is readiness: the database, the cache, the file storage and the task queue are each checked
  and named; any failing part gives 503 so the balancer sends traffic elsewhere until it recovers.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Tasks waiting longer than this mean no worker is taking them (or too few are).
MAX_QUEUE_LAG_SECONDS = getattr(settings, "READYZ_MAX_QUEUE_LAG_SECONDS", 300)


@never_cache
@require_GET
def healthz(request):
    response = JsonResponse({"status": "ok", "release": settings.RELEASE})
    if settings.RELEASE:
        response["X-Kelisim-Release"] = settings.RELEASE
    return response


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _check_cache() -> dict:
    key, value = f"kelisim:readyz:{uuid.uuid4().hex}", str(time.time())
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)
    return {}


def _check_storage() -> dict:
    default_storage.exists("readyz-probe")
    return {}


def _check_queue() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return {}
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    lag = 0 if oldest is None else max(0, int((timezone.now() - oldest).total_seconds()))
    if lag > MAX_QUEUE_LAG_SECONDS:
        raise RuntimeError(f"the oldest waiting task has waited {lag} s")
    return {"lag_seconds": lag}


CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage, "queue": _check_queue}


@never_cache
@require_GET
def readyz(request):
    report, failing = {}, []
    for name, check in CHECKS.items():
        if name == "queue" and "database" in failing:
            report[name] = {"status": "skipped"}  # the queue lives in the database
            continue
        try:
            report[name] = {"status": "ok", **check()}
        except Exception as error:
            failing.append(name)
            report[name] = {"status": "error", "detail": type(error).__name__}
    status = 503 if failing else 200
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "failing": failing, "checks": report}, status=status
    )
