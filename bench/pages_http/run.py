"""`make bench-http`: every public page type over HTTP at ten times the seed's volume, on SQLite and PostgreSQL.

For each database: seed it (or reuse it with BENCH_REUSE=1) in a child process (bench/pages_http/seed.py), serve it
with gunicorn as the README recommends, and measure, side by side in one run at 16 connections:

- the floor: a view that only answers "ok" through the same middleware (bench/pages_http/urls.py, not in the product),
  measured before and after the public pages (shares are of the higher);
- every public page type and public API list as anonymous visitors get them (kept pages);
- the first view after a change (every scope bumped before each request, one connection);
- the officer's queues and pages signed in;
- a mixed load of 150 visitors, nine requests in ten reads (BENCH_MIXED_SECONDS);

and prints req/s, the share of the floor, p50 and p99, queries per page (counted in-process on the same data)
and the gunicorn workers' RSS after warm-up and at the end.

Environment: BENCH_REUSE=1 (keep seeded databases), BENCH_DATABASES=sqlite,postgres, BENCH_SQLITE_PATH,
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/kelisim_bench_http), BENCH_PORT (8765),
BENCH_WORKERS (cores + 1), BENCH_THREADS (8; 1 = sync workers), BENCH_REQUESTS (per connection, 25),
BENCH_ONLY (page names separated by commas, or by "|" when a name has a comma),
BENCH_SKIP_SEED=1 (measure only, with the last description),
BENCH_SEED_SKIP=comments,reports (leave the million comments / reports out: the table prints what was seeded),
BENCH_DESCRIBE_ONLY=1 (no seeding, only describe the kept data and count queries), BENCH_MIXED_USERS (150) and
BENCH_MIXED_SECONDS (60; 0 = no mixed load): a mixed load of that many visitors, 90 % reads of public pages and
10 % suggestions sent through the API, after the table's measurements; p50/p95/p99 over every request;
BENCH_MIXED_PAUSES ("1-3,0"): one mixed load per range of seconds each visitor pauses between requests;
BENCH_ACCEPT_ENCODING ("gzip, deflate, br", as a browser sends): the loads' Accept-Encoding ("identity" measures
uncompressed answers). First views always ask for identity, so that their size is the page's HTML.
"""

import asyncio
import gc
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
CONNECTIONS = 16
PORT = int(os.environ.get("BENCH_PORT", "8765"))
# As deploy/gunicorn.conf.py (and the README): gthread, cores + 1 processes × 8 threads; BENCH_THREADS=1 is sync.
WORKERS = int(os.environ.get("BENCH_WORKERS", str((os.cpu_count() or 1) + 1)))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "25"))
FIRST_VIEWS = int(os.environ.get("BENCH_FIRST_VIEWS", "7"))
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br")


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


# --- Load: 16 connections, a new TCP connection per request (sync workers do not keep connections alive) --------


async def _one(
    path: str,
    cookie: str | None,
    *,
    method: str = "GET",
    body: bytes = b"",
    headers: dict | None = None,
    encoding: str = "identity",
) -> tuple[float, int, int]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAccept-Encoding: {encoding}\r\n"
    if cookie:
        head += f"Cookie: sessionid={cookie}\r\n"
    for name, value in (headers or {}).items():
        head += f"{name}: {value}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write((head + "\r\n").encode() + body)
    await writer.drain()
    data = await reader.read()
    writer.close()
    elapsed = (time.perf_counter() - started) * 1000
    status = int(data[9:12]) if len(data) > 12 else 0
    return elapsed, status, len(data)


_addresses = itertools.count(1)


async def _load(path: str, cookie: str | None, per_connection: int) -> tuple[list[float], float, set[int], int]:
    """Each connection is another visitor, from an address of its own as the proxy passes it: the API's limit
    per address (240 a minute) would otherwise answer the bench with 429 instead of the page."""
    samples: list[float] = []
    statuses: set[int] = set()
    received = 0

    async def connection():
        nonlocal received
        number = next(_addresses)
        visitor = {"X-Forwarded-For": f"203.0.{number // 250 % 250}.{number % 250 + 1}"}
        for _ in range(per_connection):
            elapsed, status, size = await _one(path, cookie, headers=visitor, encoding=ACCEPT_ENCODING)
            samples.append(elapsed)
            statuses.add(status)
            received += size

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return samples, time.perf_counter() - started, statuses, received


def measure(path: str, cookie: str | None = None, per_connection: int = REQUESTS) -> dict:
    asyncio.run(_load(path, cookie, 2))  # every worker has rendered and kept it
    # The load generator's own garbage collection would stop all its connections' clocks at once (a full
    # collection of this process takes tens of ms): none runs while one page is measured (a few hundred requests).
    gc.collect()
    gc.disable()
    try:
        samples, seconds, statuses, received = asyncio.run(_load(path, cookie, per_connection))
    finally:
        gc.enable()
    return {
        "rps": len(samples) / seconds,
        "p50": percentile(samples, 0.5),
        "p99": percentile(samples, 0.99),
        "statuses": sorted(statuses),
        "wire": received / len(samples),  # bytes of an answer as sent (headers included; compressed if it was)
    }


def first_views(path: str, versions_dir: Path) -> dict:
    """The first visitor after a change: every app's label moves (as ``pagecache.bump`` of every app: each kept page
    depends on the labels of the tables it read), then one request (one connection)."""
    from kelisim.core.pagecache import EVERYTHING

    samples = []
    for _ in range(FIRST_VIEWS):
        stamp = time.time_ns()
        versions_dir.mkdir(parents=True, exist_ok=True)
        for scope in EVERYTHING:
            target = versions_dir / scope
            target.touch(exist_ok=True)
            os.utime(target, ns=(stamp, stamp))
        elapsed, status, size = asyncio.run(_one(path, None))
        samples.append(elapsed)
    return {"median": statistics.median(samples), "size": size, "status": status}


# --- Mixed load: many visitors, nine requests in ten read a public page, one in ten writes --------------------

MIXED_USERS = int(os.environ.get("BENCH_MIXED_USERS", "150"))
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
# Each visitor's pause between two requests, in seconds, one run per range: "1-3" reads a page for one to three
# seconds as a person does; "0" sends the next request as soon as the last is answered (a stress, not people).
MIXED_PAUSES = [
    tuple(float(bound) for bound in (part.split("-") if "-" in part else (part, part)))
    for part in os.environ.get("BENCH_MIXED_PAUSES", "1-3,0").split(",")
    if part.strip()
]


async def _mixed(paths: list[str], document: str, seconds: float, pause: tuple[float, float]) -> dict:
    """Each visitor sends one request after another (a new connection each) for ``seconds``, ``pause`` seconds
    apart (drawn in that range): a read of a random public page, or one time in ten a suggestion through the
    public API (anonymous, with an address, from the visitor's own client address as a proxy would pass it)."""
    import random

    reads, writes, statuses = [], [], {}
    until = time.monotonic() + seconds

    async def visitor(number: int) -> None:
        rng = random.Random(number)
        address = f"198.51.{number // 250}.{number % 250 + 1}"
        sent = 0
        await asyncio.sleep(rng.uniform(0, pause[1]))  # visitors arrive over the first pause, not all at once
        while time.monotonic() < until:
            if sent:
                await asyncio.sleep(rng.uniform(*pause))
            sent += 1
            try:
                if rng.random() < 0.1:
                    body = json.dumps(
                        {
                            "document": document,
                            "text": f"Bench suggestion {number}-{sent}: more youth clubs in the villages, please.",
                            "contact_email": f"bench-{number}-{sent}@example.org",
                        }
                    ).encode()
                    elapsed, status, _size = await _one(
                        "/api/v1/consultations/suggestions",
                        None,
                        method="POST",
                        body=body,
                        headers={"X-Forwarded-For": address, "Idempotency-Key": f"bench-{number}-{sent}-{until}"},
                    )
                    writes.append(elapsed)
                else:
                    elapsed, status, _size = await _one(
                        rng.choice(paths), None, headers={"X-Forwarded-For": address}, encoding=ACCEPT_ENCODING
                    )
                    reads.append(elapsed)
            except OSError:
                status = 0
            statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(visitor(number) for number in range(MIXED_USERS)))
    took = time.perf_counter() - started
    everything = reads + writes
    return {
        "users": MIXED_USERS,
        "pause": f"{pause[0]:g}–{pause[1]:g} s" if pause[1] > pause[0] else f"{pause[0]:g} s",
        "seconds": round(took, 1),
        "requests": len(everything),
        "rps": len(everything) / took,
        "p50": percentile(everything, 0.5),
        "p95": percentile(everything, 0.95),
        "p99": percentile(everything, 0.99),
        "reads_p95": percentile(reads, 0.95) if reads else None,
        "writes_p95": percentile(writes, 0.95) if writes else None,
        "writes": len(writes),
        "statuses": {str(key): value for key, value in sorted(statuses.items())},
    }


# --- Server ------------------------------------------------------------------------------------------------------


def start_server(environment: dict) -> subprocess.Popen:
    # deploy/gunicorn.conf.py's hooks and memory settings as in production; the options below override the rest.
    arguments = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "kelisim.wsgi"]
    arguments += ["--workers", str(WORKERS)]
    if THREADS > 1:
        arguments += ["--threads", str(THREADS)]
    arguments += ["--bind", f"127.0.0.1:{PORT}", "--log-level", "warning", "--backlog", "256", "--timeout", "60"]
    server = subprocess.Popen(arguments, env=environment, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            _elapsed, status, _size = asyncio.run(_one("/healthz", None))
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def worker_rss(server: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    rss = []
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss.append(int(line.split()[1]) / 1024)
    return rss


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- One database ------------------------------------------------------------------------------------------------


def bench_database(label: str, database_url: str) -> dict:
    print(f"\n== {label}: {database_url}", flush=True)
    var_dir = BENCH_DIR / f"http-{label}"
    var_dir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.pages_http.settings",
        "KELISIM_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT),
        # The mixed load passes each visitor's address as a proxy would (the rate limits count per visitor).
        "TRUSTED_PROXY_COUNT": "1",
    }
    environment.pop("REDIS_URL", None)
    description = var_dir / "description.json"
    if not os.environ.get("BENCH_SKIP_SEED"):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "bench/pages_http/seed.py"), str(description)],
            env=environment,
            cwd=ROOT,
            check=True,
        )
        print(f"  seeding/reuse and description: {time.perf_counter() - started:.0f} s (load {loadavg()})")
    described = json.loads(description.read_text())
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        env=environment,
        cwd=ROOT,
        check=True,
    )
    chosen = os.environ.get("BENCH_ONLY", "")
    only = {name.strip() for name in chosen.split("|" if "|" in chosen else ",") if name.strip()}
    # Served as in production: the web processes queue background work (a suggestion's duplicate search) for a
    # worker instead of running it inside the request (seeding above ran it at once).
    server = start_server({**environment, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"})
    rows = []
    try:
        load_start = loadavg()
        floor = measure("/bench-floor/")
        rows.append({"page": "floor (constant view)", **floor, "queries": 0})
        for name, path in described["public"].items():
            if only and name not in only:
                continue
            row = {"page": name, **measure(path), "queries": described["queries"].get(name)}
            row["size"] = described["sizes"].get(name)
            row["render"] = described.get("renders", {}).get(name)
            rows.append(row)
        # Measured again after the public pages: one measurement of the floor moves with what else the machine
        # does at that moment, and a low floor would flatter every share. Shares are of the higher of the two.
        floor_again = measure("/bench-floor/")
        rows.append({"page": "floor, after the public pages", **floor_again, "queries": 0})
        floor = max(floor, floor_again, key=lambda measured: measured["rps"])
        rss_warm = worker_rss(server)
        for name, path in described["signed_in"].items():
            if only and name not in only:
                continue
            rows.append(
                {
                    "page": name,
                    **measure(path, described["session"], max(5, REQUESTS // 3)),
                    "render": described.get("renders", {}).get(name),
                    "queries": described["queries"].get(name),
                }
            )
        firsts = {}
        for name, path in described["public"].items():
            if only and name not in only:
                continue
            firsts[name] = first_views(path, var_dir / "pagecache")
        mixed = []
        for pause in MIXED_PAUSES if MIXED_SECONDS > 0 and not only else ():
            mixed_load_start = loadavg()
            paths = [path for name, path in described["public"].items()]
            run = asyncio.run(_mixed(paths, described.get("document", "bench-programme"), MIXED_SECONDS, pause))
            run["load"] = f"{mixed_load_start} → {loadavg()}"
            mixed.append(run)
        rss_end = worker_rss(server)
        load_end = loadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for row in rows:
        row["share"] = row["rps"] / floor["rps"]
        if row["page"] in firsts:
            row["first_view"] = firsts[row["page"]]["median"]
            row["first_view_size"] = firsts[row["page"]]["size"]
    return {
        "database": label,
        "vendor": described["vendor"],
        "counts": described["counts"],
        "rows": rows,
        "rss_warm": rss_warm,
        "rss_end": rss_end,
        "load": f"{load_start} → {load_end}",
        "mixed": mixed,
    }


def print_table(result: dict) -> None:
    print(
        f"\n{result['database']} ({result['vendor']}), {WORKERS} workers × {THREADS} thread(s), "
        f"{CONNECTIONS} connections, Accept-Encoding: {ACCEPT_ENCODING}; load average {result['load']}"
    )
    print("  data: " + ", ".join(f"{count:,} {name}" for name, count in result["counts"].items()))
    print(
        f"  {'page':<38} {'req/s':>8} {'floor':>6} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'1st view ms':>11} {'render ms wall/CPU':>18} {'KB':>6} {'sent KB':>7}"
    )
    for row in result["rows"]:
        first = f"{row['first_view']:.0f}" if "first_view" in row else "—"
        size = f"{(row.get('first_view_size') or row.get('size') or 0) / 1024:.0f}"
        bad = "" if row["statuses"] == [200] else f"  statuses {row['statuses']}"
        render = row.get("render")
        render = f"{render['wall']:.0f}/{render['cpu']:.0f}" if render else "—"
        print(
            f"  {row['page']:<38} {row['rps']:>8.0f} {row['share']:>6.0%} {row['p50']:>7.0f} {row['p99']:>7.0f} "
            f"{row['queries'] if row['queries'] is not None else '—':>7} {first:>11} {render:>18} {size:>6} "
            f"{row['wire'] / 1024:>7.1f}{bad}"
        )
    for mixed in result.get("mixed") or []:
        print(
            f"  mixed load, {mixed['users']} visitors pausing {mixed['pause']}, 90 % reads, {mixed['seconds']} s "
            f"(load {mixed['load']}): "
            f"{mixed['requests']} requests, {mixed['rps']:.0f} req/s, p50 {mixed['p50']:.0f} ms, "
            f"p95 {mixed['p95']:.0f} ms (reads {mixed['reads_p95'] or 0:.0f}, writes {mixed['writes_p95'] or 0:.0f}), "
            f"p99 {mixed['p99']:.0f} ms; answers {mixed['statuses']}"
        )
    print(
        f"  worker RSS after warm-up: {', '.join(f'{v:.0f}' for v in result['rss_warm'])} MB; at the end: "
        f"{', '.join(f'{v:.0f}' for v in result['rss_end'])} MB"
    )


def main() -> int:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    wanted = [name.strip() for name in os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",") if name]
    sqlite_path = Path(os.environ.get("BENCH_SQLITE_PATH", BENCH_DIR / "http.sqlite3"))
    postgres_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/kelisim_bench_http")
    # Describing only needs the seeded data: never drop it then.
    reuse = bool(os.environ.get("BENCH_REUSE") or os.environ.get("BENCH_DESCRIBE_ONLY"))
    machine = (
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {loadavg()}"
    )
    print(f"Kelisim bench-http on {machine}")
    results = []
    for label in wanted:
        if label == "sqlite":
            sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            if not reuse and not os.environ.get("BENCH_SKIP_SEED"):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            results.append(bench_database("sqlite", f"sqlite:///{sqlite_path}"))
        elif label == "postgres":
            if not os.environ.get("BENCH_SKIP_SEED"):
                import psycopg

                name = postgres_url.rsplit("/", 1)[1]
                with psycopg.connect(postgres_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
                    exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                    if exists and not reuse:
                        connection.execute(f'DROP DATABASE "{name}"')
                    if not exists or not reuse:  # reusing a database that is not there yet seeds a new one
                        connection.execute(f'CREATE DATABASE "{name}"')
            results.append(bench_database("postgres", postgres_url))
    for result in results:
        print_table(result)
    (BENCH_DIR / "http-results.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
