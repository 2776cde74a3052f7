"""A task for the RQ worker test: its first run hangs (so the test can kill the worker mid-job); every run
adds one line to a file, so the test can count runs without a database."""

import time
from pathlib import Path

from django_tasks import task


@task()
def hang_on_first_run(path: str, hang_seconds: float) -> int:
    marker = Path(path)
    with marker.open("a") as handle:
        handle.write("run\n")
    runs = marker.read_text().count("run")
    if runs == 1:
        time.sleep(hang_seconds)
    return runs
