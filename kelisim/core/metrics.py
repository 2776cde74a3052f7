"""Prometheus metrics at /metrics (issue 12), for the monitoring server only.

django-prometheus counts requests by view, method and status and times them per view (histograms). Kelisim adds:

- ``kelisim_db_query_seconds{alias,vendor}`` and ``kelisim_db_query_errors_total``: every database query, timed
  through Django's ``execute_wrapper`` hook on each new connection (web processes and workers alike);
- ``kelisim_cache_operation_seconds{operation}``: how long each cache call to Redis took (``TimedRedisCache``);
- ``kelisim_task_queue_depth{queue}`` and ``kelisim_task_queue_oldest_age_seconds{queue}``: tasks waiting to run
  and how long the oldest has waited (database backend or Redis/RQ, whichever is configured);
- ``kelisim_tasks_running``, ``kelisim_tasks_failed``: database backend only (RQ keeps its own registries);
- ``kelisim_outbox_messages{status}`` and ``kelisim_outbox_oldest_pending_age_seconds``: the email backlog.

The queue and outbox figures are read from the database (or Redis) when Prometheus scrapes, so every node
reports the same numbers. gunicorn's processes share their counters through ``PROMETHEUS_MULTIPROC_DIR``
(deploy/gunicorn.conf.py sets it).

Access: ``Authorization: Bearer <METRICS_TOKEN>``, or a client address in ``METRICS_ALLOWED_IPS`` (addresses or
networks, compared with the TCP peer, never with X-Forwarded-For). Neither set: /metrics answers 404. The
balancer answers 404 for /metrics too (deploy/nginx/locations.conf); scrape the nodes directly.
"""

import datetime
import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

CACHE_SECONDS = Histogram(
    "kelisim_cache_operation_seconds",
    "Time of one call to the shared cache.",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
)


DB_SECONDS = Histogram(
    "kelisim_db_query_seconds",
    "Time of one database query.",
    ["alias", "vendor"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
DB_ERRORS = Counter("kelisim_db_query_errors_total", "Database queries that raised.", ["alias", "vendor"])


def time_queries(sender, connection, **kwargs):
    """connection_created receiver (CoreConfig.ready): time every query of this connection."""

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        except Exception:
            DB_ERRORS.labels(connection.alias, connection.vendor).inc()
            raise
        finally:
            DB_SECONDS.labels(connection.alias, connection.vendor).observe(time.perf_counter() - started)

    if not any(getattr(wrapper, "kelisim_timer", False) for wrapper in connection.execute_wrappers):
        timed.kelisim_timer = True
        connection.execute_wrappers.append(timed)


def _timed(operation: str):
    def wrap(method):
        def timed(self, *args, **kwargs):
            started = time.perf_counter()
            try:
                return method(self, *args, **kwargs)
            finally:
                CACHE_SECONDS.labels(operation).observe(time.perf_counter() - started)

        return timed

    return wrap


class TimedRedisCache(RedisCache):
    """Django's Redis cache with each call timed (settings use it whenever REDIS_URL is set)."""

    get = _timed("get")(RedisCache.get)
    get_many = _timed("get_many")(RedisCache.get_many)
    set = _timed("set")(RedisCache.set)
    set_many = _timed("set_many")(RedisCache.set_many)
    add = _timed("add")(RedisCache.add)
    incr = _timed("incr")(RedisCache.incr)
    delete = _timed("delete")(RedisCache.delete)
    touch = _timed("touch")(RedisCache.touch)


class BacklogCollector(Collector):
    """Queue depth and age, and the outbox backlog, read when scraped."""

    def collect(self):
        depth = GaugeMetricFamily("kelisim_task_queue_depth", "Tasks waiting to run.", labels=["queue"])
        age = GaugeMetricFamily(
            "kelisim_task_queue_oldest_age_seconds", "How long the oldest waiting task has waited.", labels=["queue"]
        )
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db."):
            yield from self._database_queue(depth, age)
        elif backend.startswith("django_tasks_rq."):
            self._rq_queue(depth, age)
        yield depth
        yield age
        yield from self._outbox()

    def _database_queue(self, depth, age):
        from django.db.models import Count, Min
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        waiting = DBTaskResult.objects.ready().values("queue_name")
        waiting = waiting.annotate(count=Count("id"), oldest=Min("enqueued_at"))
        rows = {row["queue_name"]: row for row in waiting.order_by()}
        for name in sorted({"default", "email", *rows}):  # Kelisim's two queues always, at 0 when empty
            row = rows.get(name)
            depth.add_metric([name], row["count"] if row else 0)
            age.add_metric([name], max(0.0, (now - row["oldest"]).total_seconds()) if row else 0.0)
        counts = dict(
            DBTaskResult.objects.filter(status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED])
            .values_list("status")
            .annotate(count=Count("id"))
            .order_by()
        )
        yield GaugeMetricFamily(
            "kelisim_tasks_running", "Tasks a worker is running.", value=counts.get(TaskResultStatus.RUNNING, 0)
        )
        yield GaugeMetricFamily(
            "kelisim_tasks_failed",
            "Tasks that failed for good (retry them in the admin).",
            value=counts.get(TaskResultStatus.FAILED, 0),
        )

    def _rq_queue(self, depth, age):
        import django_rq

        now = timezone.now()
        for name in settings.RQ_QUEUES:
            queue = django_rq.get_queue(name)
            depth.add_metric([name], queue.count)
            first = queue.get_job_ids(0, 1)
            job = queue.fetch_job(first[0]) if first else None
            enqueued = job.enqueued_at if job else None
            if enqueued is not None and timezone.is_naive(enqueued):
                enqueued = timezone.make_aware(enqueued, datetime.UTC)
            age.add_metric([name], max(0.0, (now - enqueued).total_seconds()) if enqueued else 0.0)

    def _outbox(self):
        from django.db.models import Count, Min

        from kelisim.core.models import OutboxEmail

        messages = GaugeMetricFamily("kelisim_outbox_messages", "Outgoing emails by status.", labels=["status"])
        counts = dict(OutboxEmail.objects.values_list("status").annotate(count=Count("id")).order_by())
        for status in OutboxEmail.Status.values:
            messages.add_metric([status], counts.get(status, 0))
        yield messages
        oldest = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).aggregate(oldest=Min("created_at"))
        waited = (timezone.now() - oldest["oldest"]).total_seconds() if oldest["oldest"] else 0.0
        yield GaugeMetricFamily(
            "kelisim_outbox_oldest_pending_age_seconds", "How long the oldest unsent email has waited.", value=waited
        )


def _allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    networks = getattr(settings, "METRICS_ALLOWED_IPS", [])
    if not networks:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(network, strict=False) for network in networks)


@never_cache
def metrics_view(request):
    if not _allowed(request):
        raise Http404  # not 403: nothing tells a stranger there is something here
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        body = generate_latest(processes)
    else:
        body = generate_latest(REGISTRY)
    backlog = CollectorRegistry()
    backlog.register(BacklogCollector())
    body += generate_latest(backlog)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
