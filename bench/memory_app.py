"""Kelisim's WSGI application plus one address for `make bench-memory` (bench/worker_memory.py); not in the product.

``/bench-memory/`` answers, from the worker that gets the request, its process id, the modules it has imported and,
when the bench started gunicorn with ``BENCH_TRACEMALLOC=1``, where its live Python allocations were made (grouped by
package). Every other request goes to ``kelisim.wsgi.application`` unchanged.
"""

import json
import os
import sys
import tracemalloc

if os.environ.get("BENCH_TRACEMALLOC"):
    tracemalloc.start(1)

from kelisim.wsgi import application as kelisim_application


def package_of(filename: str) -> str:
    """``site-packages/django/db/models/query.py`` → ``django``; Kelisim's own files → ``kelisim.<app>``."""
    parts = filename.replace("\\", "/").split("/")
    for marker in ("site-packages", "lib-dynload"):
        if marker in parts:
            rest = parts[parts.index(marker) + 1 :]
            return rest[0].removesuffix(".py") if rest else marker
    if "kelisim" in parts:
        rest = parts[parts.index("kelisim") + 1 :]
        return "kelisim." + rest[0].removesuffix(".py") if len(rest) > 1 else "kelisim"
    if len(parts) >= 2 and parts[-2].startswith("python3"):
        return "stdlib"
    if "python3" in filename:
        return "stdlib/" + next((p for p in reversed(parts[:-1]) if not p.startswith("python3")), "")
    return filename


def allocations_by_package(limit: int = 25) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for stat in tracemalloc.take_snapshot().statistics("filename"):
        name = package_of(stat.traceback[0].filename)
        totals[name] = totals.get(name, 0) + stat.size
    return sorted(totals.items(), key=lambda item: -item[1])[:limit]


def application(environ, start_response):
    if environ.get("PATH_INFO") != "/bench-memory/":
        return kelisim_application(environ, start_response)
    report = {"pid": os.getpid(), "modules": list(sys.modules)}  # in the order of import
    if environ.get("QUERY_STRING") == "trim":
        import ctypes
        import gc

        def rss():
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * 4096 / 2**20

        before = rss()
        gc.collect()
        collected = rss()
        import time

        started = time.perf_counter()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        report["trim"] = [before, collected, rss(), (time.perf_counter() - started) * 1000]
    if tracemalloc.is_tracing():
        report["traced_mb"] = tracemalloc.get_traced_memory()[0] / 2**20
        report["by_package"] = allocations_by_package()
        report["by_line"] = [
            (f"{stat.traceback[0].filename.split('site-packages/')[-1]}:{stat.traceback[0].lineno}", stat.size)
            for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]
        ]
    body = json.dumps(report).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
