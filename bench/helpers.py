"""Shared bits for benchmarks: timing percentiles, query counting, a progress bar."""

import gc
import statistics
import sys
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_calls(call: Callable[[], object], repeat: int = 50, warmup: int = 3) -> dict[str, float]:
    """Milliseconds per call: median, p95 and p99 over ``repeat`` calls."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(samples), "p95": percentile(samples, 0.95), "p99": percentile(samples, 0.99)}


def count_queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


class Progress:
    """A one-line progress bar on stderr (seeding tens of thousands of rows takes a while)."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.started = label, total, 0, time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.done += count
        width = 30
        filled = int(width * self.done / max(1, self.total))
        rate = self.done / max(1e-9, time.perf_counter() - self.started)
        sys.stderr.write(
            f"\r  {self.label:<28} [{'#' * filled}{'.' * (width - filled)}] {self.done:>8}/{self.total} {rate:,.0f}/s"
        )
        sys.stderr.flush()
        if self.done >= self.total:
            sys.stderr.write("\n")


def serve_pages_in_process() -> None:
    """Let the test client render pages as a visitor would see them: the bench measures the app, not
    collectstatic (plain static storage) nor the host check. Kept pages are switched off: every request is a
    first view, the rendering these benches time (what keeping pages saves is measured over HTTP by
    ``make bench-http``); otherwise every repeat after the first timed a kept copy."""
    from django.conf import settings
    from django.test import override_settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        PAGECACHE_ENABLED=False,
    ).enable()
    # As kelisim/wsgi.py does in a served process: what loading made is left out of garbage collections.
    gc.freeze()
