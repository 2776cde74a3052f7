"""`make bench-memory`: how much memory a warmed-up gunicorn worker holds (issue 13: ≤ 120 MB RSS), on the demo data.

In a throw-away directory (a fresh SQLite database with ``manage.py load_demo``, its own KELISIM_VAR_DIR; nothing of
the repository's var/ is touched, no bench seed is needed), it starts gunicorn exactly as kelisim-web.service does
(``-c deploy/gunicorn.conf.py``, gthread, 8 threads; BENCH_MEMORY_WORKERS processes, 2 by default) and:

- reads each worker's memory right after start;
- warms it up: every public page type in kk, ru and en, every public API list (the GET routes of the OpenAPI schema
  without a parameter in the path) and a signed-in officer's queues (an officer with a second factor, the session
  of bench/pages_http/seed.py), BENCH_MEMORY_ROUNDS times (3), 16 connections at once so every thread works;
- reads each worker's memory again, and once more after a second warm-up (what still grows is a leak or a cache);
- prints, per worker, VmRSS (what issue 13 counts), PSS (shared pages divided among the processes sharing them) and
  USS (pages only this process holds: what one more worker really costs), from /proc/<pid>/smaps_rollup;
- lists the modules a warmed-up worker has imported beyond a freshly started one, and what importing everything a
  warmed-up worker holds costs by package, in a separate process: the Python memory each module's own body
  allocated (tracemalloc; its imports counted where they belong) and the RSS growth meanwhile.

``BENCH_TRACEMALLOC=1`` also traces allocations inside the workers (slower; RSS figures are then not comparable) and
prints where a warmed-up worker's live Python memory was allocated, by package and by line. ``BENCH_TRIM=1`` asks
each worker at the end how much ``gc.collect()`` and glibc's ``malloc_trim(0)`` would give back (freed memory the
process still holds).

Environment: BENCH_MEMORY_PORT (8130), BENCH_MEMORY_WORKERS (2), BENCH_MEMORY_ROUNDS (3), BENCH_MEMORY_DIR (a kept
directory to reuse its database instead of a new temporary one), and any setting of deploy/gunicorn.conf.py
(WEB_THREADS, WEB_MALLOC_ARENAS, WEB_TRIM_EVERY, ...) or of the process (MALLOC_ARENA_MAX, GUNICORN_CMD_ARGS),
passed through to gunicorn.
"""

import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages_http import run as http  # noqa: E402

PORT = int(os.environ.get("BENCH_MEMORY_PORT", "8130"))
WORKERS = int(os.environ.get("BENCH_MEMORY_WORKERS", "2"))
ROUNDS = int(os.environ.get("BENCH_MEMORY_ROUNDS", "3"))
CONNECTIONS = 16
LANGUAGES = ("kk", "ru", "en")
# The requests go through bench/pages_http's client, on this bench's port.
http.PORT = PORT


# --- In a child process with Django on the throw-away database: the addresses to request -----------------------


def describe() -> dict:
    """Every public page type of the demo data in each language, the public API lists, the officer's queues."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import translation

    from bench.pages_http.seed import _officer, _session_cookie
    from kelisim.api.api import api
    from kelisim.consultations.models import ANSWERED_STATUSES, Document, Suggestion
    from kelisim.funding.models import Call, Contract
    from kelisim.meetings.models import Roundtable
    from kelisim.organisations.models import Organisation
    from kelisim.plans.models import PlanVersion, TrackedItem
    from kelisim.publications.models import Article

    def first(queryset):
        found = queryset.order_by("pk").first()
        if found is None:
            raise SystemExit(f"The demo data has no {queryset.model.__name__}: nothing to request.")
        return found

    suggestion = first(Suggestion.objects.filter(status__in=ANSWERED_STATUSES))
    version = first(PlanVersion.objects.exclude(published_at=None))
    objects = {
        "organisation page": first(Organisation.objects),
        "document page": first(Document.objects),
        "suggestion page": suggestion,
        "article page": first(Article.objects.public()),
        "plan version": version,
        "plan item": first(TrackedItem.objects),
        "roundtable page": first(Roundtable.objects),
    }
    call = first(Call.objects)
    contract = Contract.objects.order_by("pk").first()
    names = {
        "home page": ("core:home", []),
        "search": ("core:search", []),
        "open data catalogue": ("core:data_catalogue", []),
        "organisation list": ("organisations:list", []),
        "consultations": ("consultations:index", []),
        "suggestion list": ("consultations:list", []),
        "consultation statistics": ("consultations:statistics", []),
        "news list": ("publications:list", []),
        "plan page": ("plans:index", []),
        "plan versions": ("plans:versions", []),
        "roundtables": ("meetings:list", []),
        "funding calls": ("funding:index", []),
        "funding call": ("funding:call_detail", [call.reference]),
        "contract register": ("funding:contracts", []),
        "activities dashboard": ("activities:dashboard", []),
        "indicators": ("activities:indicators", []),
    }
    if contract is not None:
        names["contract page"] = ("funding:contract_detail", [contract.number])
    signed_in_names = {
        "triage queue": "consultations:triage",
        "moderation queue": "comments:queue",
        "activity reports queue": "activities:queue",
        "join requests": "organisations:join_requests",
        "funding dashboard": "funding:dashboard",
        "my work": "worklists:home",
        "notifications": "notifications:inbox",
    }
    public, signed_in = {}, {}
    for language in LANGUAGES:
        with translation.override(language):
            for name, (url_name, args) in names.items():
                public[f"{name} ({language})"] = reverse(url_name, args=args)
            for name, instance in objects.items():
                public[f"{name} ({language})"] = instance.get_absolute_url()
            public[f"search for a word ({language})"] = (
                reverse("core:search") + "?q=%D0%B6%D0%B0%D1%81%D1%82%D0%B0%D1%80"
            )
            for name, url_name in signed_in_names.items():
                signed_in[f"{name} ({language})"] = reverse(url_name)
            signed_in[f"suggestion page, signed in ({language})"] = suggestion.get_absolute_url()
    schema = api.get_openapi_schema()
    for route, operations in schema["paths"].items():
        if "get" in operations and "{" not in route and not operations["get"].get("security"):
            public[f"API {route}"] = route
    cookie = _session_cookie(_officer())
    return {"public": public, "signed_in": signed_in, "session": cookie}


# --- Memory of a process --------------------------------------------------------------------------------------


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def memory(pid: int) -> dict:
    """RSS, PSS and USS of one process in MB (smaps_rollup: Linux 4.14 and later)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "uss": fields["Private_Clean"] + fields["Private_Dirty"],
        "anonymous": fields["Anonymous"],
    }


def snapshot(server: subprocess.Popen) -> dict[int, dict]:
    return {pid: memory(pid) for pid in worker_pids(server)}


def print_snapshot(label: str, figures: dict[int, dict]) -> None:
    print(f"  {label} (load {http.loadavg()}):")
    for pid, row in figures.items():
        print(
            f"    worker {pid}: RSS {row['rss']:6.1f} MB   PSS {row['pss']:6.1f} MB   USS {row['uss']:6.1f} MB   "
            f"anonymous {row['anonymous']:6.1f} MB"
        )


# --- Serving and warming up -----------------------------------------------------------------------------------


def start_server(environment: dict) -> subprocess.Popen:
    arguments = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "bench.memory_app:application"]
    server = subprocess.Popen(arguments, env=environment, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        time.sleep(0.5)
        try:
            if asyncio.run(http._one("/healthz", None))[1] == 200 and len(worker_pids(server)) == WORKERS:
                time.sleep(1)  # the other workers finish loading the application
                return server
        except OSError:
            pass
    server.kill()
    raise RuntimeError("gunicorn did not start")


async def _warm(paths: list[str], cookie: str | None, times: list[float]) -> dict[str, set[int]]:
    statuses: dict[str, set[int]] = {}
    gate = asyncio.Semaphore(CONNECTIONS)

    async def one(path: str) -> None:
        async with gate:
            try:
                elapsed, status, _size = await http._one(path, cookie)
                times.append(elapsed)
            except OSError:
                status = 0
            statuses.setdefault(path, set()).add(status)

    await asyncio.gather(*(one(path) for path in paths))
    return statuses


def warm_up(described: dict) -> list[str]:
    """Every address ROUNDS times; prints the requests' p50/p90 (kept pages mostly, after the first round) and
    returns the addresses that did not answer 200."""
    problems, times = [], []
    for _ in range(ROUNDS):
        for paths, cookie in (
            (list(described["public"].values()), None),
            (list(described["signed_in"].values()), described["session"]),
        ):
            for path, statuses in asyncio.run(_warm(paths, cookie, times)).items():
                if statuses != {200}:
                    problems.append(f"{path} {sorted(statuses)}")
    print(
        f"  {len(times)} requests at {CONNECTIONS} connections: p50 {http.percentile(times, 0.5):.0f} ms, "
        f"p90 {http.percentile(times, 0.9):.0f} ms"
    )
    return sorted(set(problems))


def worker_reports(count: int, query: str = "") -> dict[int, dict]:
    """The /bench-memory/ report of each worker (asked until every worker has answered once)."""
    reports: dict[int, dict] = {}
    for _ in range(50 * count):
        if len(reports) >= count:
            break
        response = asyncio.run(_raw("/bench-memory/" + query))
        report = json.loads(response.split(b"\r\n\r\n", 1)[1])
        reports.setdefault(report["pid"], report)
    return reports


async def _raw(path: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    return data


# --- Import sizes -----------------------------------------------------------------------------------------------

IMPORT_SIZES = """
import importlib.abc, json, sys, tracemalloc


def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


class Measure(importlib.abc.MetaPathFinder):
    # Each module's own import cost: memory allocated while its body ran, minus the modules it imported.

    def __init__(self):
        self.stack, self.sizes = [], {}

    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader.exec_module = self.wrap(name, spec.loader.exec_module)
        return spec

    def wrap(self, name, execute):
        def exec_module(module):
            self.stack.append([0, 0])
            traced, resident = tracemalloc.get_traced_memory()[0], rss()
            try:
                execute(module)
            finally:
                traced, resident = tracemalloc.get_traced_memory()[0] - traced, rss() - resident
                inner = self.stack.pop()
                self.sizes[name] = (traced - inner[0], resident - inner[1])
                if self.stack:
                    self.stack[-1][0] += traced
                    self.stack[-1][1] += resident

        return exec_module


measure = Measure()
sys.meta_path.insert(0, measure)
tracemalloc.start(1)
import django

django.setup()
for name in json.loads(sys.stdin.read()):
    if name in sys.modules:  # already there, or deferred on purpose (kelisim.accounts.apps.defer_webauthn)
        continue
    try:
        __import__(name)
    except Exception:
        pass
totals = {}
for name, (traced, resident) in measure.sizes.items():
    top = name.split(".")[0]
    if top == "kelisim":
        top = ".".join(name.split(".")[:2])
    count, python, process = totals.get(top, (0, 0, 0))
    totals[top] = (count + 1, python + traced, process + resident)
print(json.dumps(sorted(totals.items(), key=lambda item: -item[1][1])[:25]))
"""


def import_sizes(modules: list[str], environment: dict) -> list:
    """What importing ``modules`` (a warmed-up worker's, in its order) costs, by package: (package, (modules,
    Python memory allocated by their own bodies, growth of the process's RSS meanwhile))."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_SIZES],
        input=json.dumps(modules),
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Main -------------------------------------------------------------------------------------------------------


def prepare(directory: Path, environment: dict) -> None:
    database = directory / "kelisim.sqlite3"
    if database.exists():
        return
    started = time.perf_counter()
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["load_demo", "--quiet-signins"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], env=environment, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
    print(f"  demo database prepared in {time.perf_counter() - started:.0f} s")


def main() -> int:
    if sys.argv[1:2] == ["--describe"]:
        Path(sys.argv[2]).write_text(json.dumps(describe()))
        return 0
    kept = os.environ.get("BENCH_MEMORY_DIR")
    directory = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="kelisim-bench-memory-"))
    directory.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "KELISIM_VAR_DIR": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'kelisim.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "kelisim.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
    }
    # One node as the quick start serves it: no Redis (kept pages in each process, the heavier case).
    environment.pop("REDIS_URL", None)
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    print(
        f"Kelisim bench-memory on {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average {http.loadavg()}; {directory}"
    )
    prepare(directory, environment)
    description = directory / "addresses.json"
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--describe", str(description)],
        env=environment,
        cwd=ROOT,
        check=True,
    )
    described = json.loads(description.read_text())
    served = {
        **environment,
        "KELISIM_BIND": f"127.0.0.1:{PORT}",
        "WEB_WORKERS": str(WORKERS),
        # As in production: background work is queued for a worker, not run inside the request.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    settings = {
        name: os.environ[name] for name in sorted(os.environ) if name.startswith("WEB_") or name.startswith("MALLOC_")
    }
    print(
        f"  gunicorn -c deploy/gunicorn.conf.py, {WORKERS} workers; {len(described['public'])} public addresses and "
        f"{len(described['signed_in'])} signed-in ones × {ROUNDS} rounds; settings {settings or 'as in the file'}"
    )
    server = start_server(served)
    try:
        started = snapshot(server)
        fresh = worker_reports(len(started))
        print_snapshot("after start", started)
        problems = warm_up(described)
        warm = snapshot(server)
        print_snapshot("after warm-up", warm)
        problems += warm_up(described)
        again = snapshot(server)
        print_snapshot("after a second warm-up", again)
        warmed = worker_reports(len(again))
        if os.environ.get("BENCH_TRIM"):
            for pid, report in worker_reports(len(again), "?trim").items():
                rss, collected, trimmed, took = report["trim"]
                print(
                    f"  worker {pid}: RSS {rss:.1f} MB, after gc.collect() {collected:.1f} MB, after malloc_trim(0) "
                    f"{trimmed:.1f} MB ({took:.1f} ms)"
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    for problem in sorted(set(problems)):
        print(f"  ! not 200: {problem}")
    fresh_modules = set.intersection(*(set(report["modules"]) for report in fresh.values()))
    warm_modules = set.union(*(set(report["modules"]) for report in warmed.values()))
    added = sorted(warm_modules - fresh_modules)
    tops = sorted({name.split(".")[0] for name in added})
    print(f"  modules: {len(fresh_modules)} after start, {len(warm_modules)} after warm-up; imported while serving:")
    print("    " + ", ".join(f"{top} ({sum(1 for n in added if n.split('.')[0] == top)})" for top in tops))
    in_order = list(dict.fromkeys(name for report in warmed.values() for name in report["modules"]))
    print("  importing what a warmed-up worker holds, in a fresh process, by package (own bodies, not dependencies):")
    print(f"    {'package':<32} {'modules':>7} {'Python MB':>9} {'RSS MB':>7}")
    for package, (count, python, process) in import_sizes(in_order, environment):
        print(f"    {package:<32} {count:>7} {python / 2**20:>9.1f} {process / 2**20:>7.1f}")
    for pid, report in warmed.items():
        if "by_package" in report:
            print(f"  worker {pid}: live Python allocations {report['traced_mb']:.1f} MB, by package:")
            for package, size in report["by_package"][:15]:
                print(f"    {package:<40} {size / 2**20:6.1f} MB")
            print("    by line:")
            for line, size in report["by_line"]:
                print(f"    {line:<70} {size / 2**20:6.1f} MB")
    worst = max(row["rss"] for row in warm.values())
    print(
        f"  largest worker RSS after warm-up: {worst:.0f} MB (issue 13: ≤ 120 MB): "
        + ("met" if worst <= 120 else "NOT met")
    )
    if not kept:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
