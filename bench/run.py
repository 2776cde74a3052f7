"""`make bench`: seed volume data and time what matters, on a database of its own.

Every ``bench/bench_*.py`` module defines ``run(report)``; ``report(name, value, unit, note="")``
records one figure. The database is ``var/bench/bench.sqlite3`` (created fresh each run) unless
DATABASE_URL is set. Figures are printed and written to ``var/bench/results.json``; copy the ones
worth keeping into docs/performance.md with the machine described.

    make bench                       # every benchmark
    make bench BENCH=organisations   # only bench_organisations.py
"""

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"


def main() -> int:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_DIR / f"bench.sqlite3{suffix}").unlink(missing_ok=True)
        os.environ["KELISIM_VAR_DIR"] = str(BENCH_DIR)
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kelisim.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    only = os.environ.get("BENCH", "")
    modules = sorted(path.stem for path in Path(__file__).parent.glob("bench_*.py"))
    if only:
        modules = [name for name in modules if name == f"bench_{only}"]
    results = []
    machine = f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"Kelisim bench on {machine}; database {django.db.connection.vendor}")

    def report(name: str, value: float, unit: str, note: str = "") -> None:
        results.append({"name": name, "value": round(value, 3), "unit": unit, "note": note})
        print(f"  {name:<60} {value:>12.3f} {unit:<8} {note}")

    for name in modules:
        print(f"\n[{name}]")
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").run(report)
        print(f"  ({time.perf_counter() - started:.1f} s)")

    payload = {"machine": machine, "database": django.db.connection.vendor, "results": results}
    (BENCH_DIR / "results.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
