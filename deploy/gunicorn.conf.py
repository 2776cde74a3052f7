"""gunicorn settings of a Kelisim node (kelisim-web.service runs ``gunicorn -c deploy/gunicorn.conf.py``).

Every value can be changed in /etc/kelisim/env without editing this file. Why each one (docs/deployment.md):

- ``gthread`` workers with 8 threads: a page spends most of its time waiting for PostgreSQL and Redis, so
  threads keep a core busy; and /healthz is answered between pages instead of queueing behind them (measured
  in docs/operations.md: median 893 ms with sync workers, 43 ms with threads under 150 connections).
- one process per core plus one: processes give parallelism past the GIL; more would only add memory.
- nginx in front buffers whole requests and answers, so a slow client never holds a thread here (200 slow
  connections straight at gunicorn starved every worker; behind nginx they cost nothing: make cluster-test).
- ``timeout`` 30 s: a thread stuck longer than that has its worker restarted (the database statement timeout
  and the SMTP timeout are shorter). ``graceful_timeout`` 20 s: on SIGTERM or a rolling restart, requests in
  flight may finish; nginx sends new ones to the other nodes meanwhile.
- ``max_requests`` 5,000 with jitter 5,000: each worker is replaced after 5,000–10,000 requests, so a slow leak
  or a worker that once grew never lasts. At 2,000 with jitter 200 (the earlier values) the three workers, started
  together and evenly loaded, were replaced within the same second, each start costing 1.5–2 s of CPU, so every
  connection waited (p99 over 1.5 s on whichever page was being measured then). At 20,000 that was gone, but
  workers that had grown kept their memory: 139–147 MB at the end of the bench on PostgreSQL, one worker at
  155 MB on SQLite (docs/performance.md, tenth pass). The jitter as wide as the base spreads the replacements
  over thousands of requests. Measured in the eleventh pass: no p99 from restarts, workers at 106-112 MB after
  warm-up and 114-126 MB at the end of the bench.
- memory (issue 13: a warmed-up worker ≤ 120 MB RSS; ``make bench-memory``, docs/performance.md): glibc gives
  threads that allocate at the same time their own malloc arenas, and freed memory stays in the arena (and in the
  middle of the heap) instead of going back to the system, so 8 threads left each worker holding 10–25 MB it no
  longer used. ``WEB_MALLOC_ARENAS`` (2) caps the arenas: ``mallopt(M_ARENA_MAX)`` here, in the master before any
  thread or worker exists, so every worker inherits it (``MALLOC_ARENA_MAX`` in the environment, when set, wins).
  Every ``WEB_TRIM_EVERY`` (25) requests a worker hands the free pages inside its heaps back (``malloc_trim``:
  1–3 ms in the thread that has just sent its response, about 0.1 ms per request on average), and sooner (after
  5) when no other request is in flight, so an idle worker holds least. Both do nothing without glibc. With the
  imports kept out of the web process (docs/performance.md) a worker warmed up on every page type went from
  148 to 110–115 MB.
- ``preload_app`` stays off: it shares the application's pages between the workers (lower PSS and USS, 3–5 MB
  less RSS measured), but ``systemctl reload`` (SIGHUP) would then start new workers with the old code, and the
  master would hold what the workers use (database and metrics state) across the fork.
- a new worker warms up before its first request (``post_worker_init``): the first request of a cold worker took
  1.4 s and each kind of page's first visit 45–115 ms (docs/performance.md, tenth pass), which workers replaced by
  ``max_requests`` passed on to visitors as p99 outliers. Then the objects the process keeps for its life are
  frozen out of the garbage collector's walk: a full collection, which stops every thread of the worker, went from
  110-130 ms to a few.
- ``keepalive`` 15 s: nginx keeps a pool of idle connections to each node (``keepalive 32``) and drops one
  after 10 s unused (``keepalive_timeout 10s``), before gunicorn would close it under a request.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import threading

bind = os.environ.get("KELISIM_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", "8"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("WEB_KEEPALIVE", "15"))
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("WEB_MAX_REQUESTS_JITTER", "5000"))
# The load balancer's address: X-Forwarded-* from it are believed, from anyone else they are not.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request lines and headers are limited here too, in case a node is reached without nginx.
limit_request_line = 8190
limit_request_fields = 100
# Access lines come from nginx (JSON, with the request id); gunicorn logs its own errors to stderr (journald).
accesslog = None
errorlog = "-"

# Prometheus counters of all worker processes are summed at /metrics through files in this directory
# (kelisim/core/metrics.py). It is set here, before any worker imports prometheus_client, and emptied at start.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="kelisim-metrics-")


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _glibc()
_M_ARENA_MAX = -8  # glibc's malloc.h
if _LIBC is not None and not os.environ.get("MALLOC_ARENA_MAX"):
    _LIBC.mallopt(_M_ARENA_MAX, int(os.environ.get("WEB_MALLOC_ARENAS", "2")))
trim_every = int(os.environ.get("WEB_TRIM_EVERY", "25"))
# A worker with nothing else in flight trims sooner: nobody waits for it then, and an idle worker holds less.
TRIM_WHEN_IDLE_AFTER = 5
_trim_lock = threading.Lock()
_trim_state = {"in_flight": 0, "since_trim": 0}  # per worker: each starts from the master's copy at fork


def pre_request(worker, req):
    with _trim_lock:
        _trim_state["in_flight"] += 1


def post_request(worker, req, environ, resp):
    # Called after the response has been sent (also after an error), once for every pre_request.
    with _trim_lock:
        _trim_state["in_flight"] -= 1
        _trim_state["since_trim"] += 1
        since = _trim_state["since_trim"]
        due = trim_every > 0 and (
            since >= trim_every or (_trim_state["in_flight"] == 0 and since >= min(trim_every, TRIM_WHEN_IDLE_AFTER))
        )
        if due:
            _trim_state["since_trim"] = 0
    if due and _LIBC is not None:
        _LIBC.malloc_trim(0)


def post_worker_init(worker):
    # Before this worker accepts its first connection (the others serve meanwhile): the URLconf, the API's schemas,
    # the catalogues and the base template, which would otherwise cost its first visitor a second or more and the
    # first visit of each kind of page tens of milliseconds (kelisim/core/warmup.py).
    from kelisim.core.warmup import warm_up

    try:
        worker.log.info("Worker %s ready in %.2f s", worker.pid, warm_up())
    except Exception:  # its first requests would do the same work, and report what fails there
        worker.log.exception("Worker %s could not warm up", worker.pid)


def on_starting(server):
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
