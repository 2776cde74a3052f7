"""`make cluster-test`: the production shape of Kelisim on one machine, on loopback only (issue 12).

Brings up SeaweedFS (S3), nginx with deploy/nginx/ (its locations.conf and http part as shipped; only paths,
ports and the node list differ), three gunicorn nodes with deploy/gunicorn.conf.py, two task workers and two
schedulers, all on the machine's PostgreSQL (a database of their own) and Redis (a db number of their own).
Then:

1. browser journeys through nginx (Playwright, Debian's Chromium): the home page and the consultation as a
   visitor; an officer signs in, attaches a PDF to a roundtable's minutes, downloads it again; the file is then
   read from each node directly with the officer's session;
2. a mixed load through nginx (pages, API reads, API writes with Idempotency-Key) during which node 3 is
   SIGKILLed (and started again later), a worker is SIGKILLed (and started again), node 2 gets a rolling
   restart (SIGTERM, wait, start), and 200 slow connections are held open against nginx for 30 s.

It prints one table and exits 1 if a request failed that was not in flight on the killed node, a periodic task
was enqueued twice for a due time, a file was unreadable on a node, or no page was served during the slow
connections. Needs Linux, root (apt-get for nginx and chromium when missing), PostgreSQL on 127.0.0.1:5432 with
trust auth and Redis on 127.0.0.1:6379. Settings: CLUSTER_DATABASE (kelisim_cluster), CLUSTER_REDIS_DB (12),
CLUSTER_PORT_BASE (8700: nginx on +80, nodes on +11..+13), CLUSTER_SECONDS (120), CLUSTER_DIR, CLUSTER_KEEP=1
(keep the database) and CLUSTER_REUSE=1 (start from the kept one).
"""

import sys
from pathlib import Path

# bench/ holds a package named `http`: keep it from shadowing the standard library's (imported below).
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = os.environ.get("CLUSTER_DATABASE", "kelisim_cluster")
REDIS_DB = os.environ.get("CLUSTER_REDIS_DB", "12")
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "8700"))
NGINX_PORT = PORT_BASE + 80
NODE_PORTS = {f"node-{n}": PORT_BASE + 10 + n for n in (1, 2, 3)}
BASE = f"http://127.0.0.1:{NGINX_PORT}"
DURATION = float(os.environ.get("CLUSTER_SECONDS", "120"))
WORK = Path(os.environ.get("CLUSTER_DIR", "/tmp/kelisim-cluster"))
VISITORS = int(os.environ.get("CLUSTER_VISITORS", "12"))
SLOW_CONNECTIONS = 200
METRICS_TOKEN = uuid.uuid4().hex
OFFICER = ("officer@demo.kelisim.kz", "kelisim-demo-2017")
OFFICER_TOTP = "JBSWY3DPEHPK3PXPOFFICERA"  # the demo officer's authenticator secret (kelisim/accounts/demo.py)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + os.urandom(2048).hex().encode()


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- The machine ------------------------------------------------------------------------------


def preflight() -> None:
    if sys.platform != "linux" or os.geteuid() != 0:
        raise SystemExit("make cluster-test needs Linux and root (it installs nginx and runs it on loopback)")
    missing = [
        package for package, command in (("nginx", "nginx"), ("chromium", "chromium")) if not shutil.which(command)
    ]
    if missing:
        say(f"Installing {' '.join(missing)} (apt-get)")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing], check=True, env=environment, stdout=subprocess.DEVNULL
        )
    if (
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True).stdout.strip()
        != "PONG"
    ):
        raise SystemExit("Redis is not answering on 127.0.0.1:6379")


class Processes:
    """Each process of the cluster, started as systemd would start it."""

    def __init__(self):
        self.running: dict[str, tuple[list[str], dict, subprocess.Popen]] = {}

    def start(self, name: str, arguments: list[str], environment: dict) -> None:
        log = open(WORK / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(arguments, cwd=ROOT, env=environment, stdout=log, stderr=log, start_new_session=True)
        self.running[name] = (arguments, environment, process)

    def signal(self, name: str, number: int, wait: float = 30) -> None:
        process = self.running[name][2]
        if number == signal.SIGKILL:
            os.killpg(process.pid, signal.SIGKILL)  # the machine is lost: the master and all its workers at once
        else:
            process.send_signal(number)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self, name: str) -> None:
        arguments, environment, _ = self.running[name]
        self.start(name, arguments, environment)

    def alive(self, name: str) -> bool:
        return self.running[name][2].poll() is None

    def stop_all(self) -> None:
        for _, _, process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for _, _, process in self.running.values():
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()


def manage(environment: dict, *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def psql(sql: str, database: str = DATABASE) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def prepare(storage_url: str) -> dict:
    reuse = os.environ.get("CLUSTER_REUSE") == "1"  # a database left by CLUSTER_KEEP=1: skip migrate and demo
    if not reuse:
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", "postgres")
        psql(f"CREATE DATABASE {DATABASE}", "postgres")
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=True, capture_output=True)
    environment = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "STORAGE_URL": storage_url,
        "KELISIM_VAR_DIR": str(WORK / "var"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "METRICS_TOKEN": METRICS_TOKEN,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "TASK_LEASE_SECONDS": "15",
        "TASK_HEARTBEAT_SECONDS": "3",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "WEB_WORKERS": "2",
        "WEB_THREADS": "4",
    }
    say("Preparing the database (migrate, demo scenario, API accounts, static files)")
    if not reuse:
        manage(environment, "migrate", "--no-input", "-v0")
        manage(environment, "load_demo", "--quiet-signins")
    manage(environment, "collectstatic", "--no-input", "-v0")
    return environment


def tokens_for(environment: dict) -> list[str]:
    sys.path.append(str(ROOT / "bench"))  # after the standard library's modules are loaded
    from chaos import ACCOUNTS_SCRIPT

    return json.loads(manage(environment, "shell", "-c", ACCOUNTS_SCRIPT.format(count=20)).strip().splitlines()[-1])


def periodic_every(environment: dict) -> dict[str, int]:
    script = (
        "import json; from kelisim.core import registry; "
        "print(json.dumps({p.task.module_path: p.every_seconds for p in registry.periodic_tasks()}))"
    )
    return json.loads(manage(environment, "shell", "-c", script).strip().splitlines()[-1])


# --- nginx ---------------------------------------------------------------------------------------


class Nginx:
    """nginx with deploy/nginx/: the shipped http part and locations, this run's paths, ports and nodes."""

    def __init__(self):
        self.directory = WORK / "nginx"
        self.conf = self.directory / "nginx.conf"

    def command(self, *arguments: str) -> list[str]:
        return ["nginx", "-p", str(self.directory), "-c", str(self.conf), *arguments]

    def write(self) -> None:
        shipped, here = ROOT / "deploy" / "nginx", self.directory / "kelisim"
        here.mkdir(parents=True, exist_ok=True)
        (self.directory / "cache").mkdir(exist_ok=True)
        replacements = {
            "/etc/nginx/kelisim/": f"{here}/",
            "/var/cache/nginx/kelisim": str(self.directory / "cache"),
            "/var/log/nginx/kelisim.access.log": str(WORK / "logs" / "nginx-access.log"),
        }
        for name in ("kelisim-http.conf", "locations.conf"):
            text = (shipped / name).read_text()
            for old, new in replacements.items():
                text = text.replace(old, new)
            (here / name).write_text(text)
        shutil.copy(shipped / "kelisim-upstream-check", here / "kelisim-upstream-check")
        self.set_nodes(drained=())
        temp = self.directory / "temp"
        temp.mkdir(exist_ok=True)
        self.conf.write_text(
            f"""pid {self.directory}/nginx.pid;
error_log {WORK}/logs/nginx-error.log warn;
worker_processes 2;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
    access_log off;
    include {here}/kelisim-http.conf;
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        server_name localhost;
        set $kelisim_var {WORK}/var;
        include {here}/locations.conf;
    }}
}}
"""
        )
        self.check_nodes(reload=False)

    def set_nodes(self, drained: tuple[str, ...]) -> None:
        """nodes.conf as an operator writes it; a drained node is marked `down` (a rolling upgrade's first step)."""
        (self.directory / "kelisim" / "nodes.conf").write_text(
            "".join(
                f"server 127.0.0.1:{port} max_fails=3 fail_timeout=10s{' down' if name in drained else ''};\n"
                for name, port in NODE_PORTS.items()
            )
        )

    def check_nodes(self, reload: bool = True) -> None:
        """The active /healthz check, as kelisim-upstream-check.timer runs it."""
        environment = {
            **os.environ,
            "KELISIM_NGINX_DIR": str(self.directory / "kelisim"),
            "KELISIM_HOST": "127.0.0.1",
            "KELISIM_CHECK_TIMEOUT": os.environ.get("CLUSTER_CHECK_TIMEOUT", "5"),
            "KELISIM_NGINX_RELOAD": " ".join(self.command("-s", "reload")) if reload else "true",
        }
        subprocess.run(
            ["sh", str(self.directory / "kelisim" / "kelisim-upstream-check")],
            env=environment,
            check=False,
            capture_output=True,
        )

    def start(self) -> None:
        subprocess.run(self.command("-t", "-q"), check=True)
        subprocess.run(self.command(), check=True)

    def stop(self) -> None:
        subprocess.run(self.command("-s", "quit"), check=False, capture_output=True)


# --- Requests ------------------------------------------------------------------------------------


def fetch(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None, timeout: float = 30):
    call = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(call, timeout=timeout) as answer:
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except OSError:
        return 0, b"", {}


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if fetch(url, timeout=5)[0] == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f} s")


class Load:
    """Visitors through nginx: pages and API reads, and one write in ten (an API suggestion with a key)."""

    READS = (
        "/en/",
        "/ru/consultation/",
        "/kk/news/",
        "/en/organisations/",
        "/en/roundtables/",
        "/api/v1/consultations/suggestions",
    )

    def __init__(self, tokens: list[str]):
        self.tokens, self.lock, self.records = tokens, threading.Lock(), []

    def one(self) -> None:
        started = time.monotonic()
        if random.random() < 0.1:
            key = uuid.uuid4().hex
            body = json.dumps({"document": "programme-draft", "text": f"Cluster suggestion {key}: more sport clubs."})
            headers = {
                "Authorization": f"Bearer {random.choice(self.tokens)}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
            status = fetch(f"{BASE}/api/v1/consultations/suggestions", "POST", body.encode(), headers)[0]
            kind = "write"
        else:
            status = fetch(BASE + random.choice(self.READS))[0]
            kind = "read"
        with self.lock:
            self.records.append((started, time.monotonic(), status, kind))

    def run(self, stop: threading.Event) -> None:
        def visitor():
            while not stop.is_set():
                self.one()

        threads = [threading.Thread(target=visitor) for _ in range(VISITORS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class SlowConnections:
    """Clients that send a request header a few bytes at a time and never finish it (slowloris).

    nginx gives up on each after client_header_timeout (10 s); a closed one is opened again at once, so that
    SLOW_CONNECTIONS are held open for the whole window."""

    def __init__(self, count: int):
        self.count, self.opened, self.closed_by_nginx, self.held_min = count, 0, 0, count

    def open_one(self):
        connection = socket.create_connection(("127.0.0.1", NGINX_PORT), timeout=5)
        connection.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.opened += 1
        return connection

    def run(self, seconds: float) -> None:
        connections = [self.open_one() for _ in range(self.count)]
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            alive = []
            for connection in connections:
                try:
                    connection.sendall(b"X-Slow: 1\r\n")
                    alive.append(connection)
                except OSError:
                    self.closed_by_nginx += 1
                    connection.close()
            connections = alive + [self.open_one() for _ in range(self.count - len(alive))]
            self.held_min = min(self.held_min, len(connections))
            time.sleep(1)
        for connection in connections:
            connection.close()


# --- The journeys ----------------------------------------------------------------------------------


def journeys(roundtable: int) -> dict:
    """Through nginx in Chromium; returns the attachment's path and the officer's session cookie."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("KELISIM_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    source = WORK / "minutes-scan.pdf"
    source.write_bytes(PDF)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        context = browser.new_context(base_url=BASE, locale="en-GB", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        assert page.goto("/en/").status == 200
        assert page.locator("h1").first.is_visible()
        assert page.goto("/en/consultation/").status == 200
        page.goto("/en/accounts/login/")
        page.fill("input[name=login]", OFFICER[0])
        page.fill("input[name=password]", OFFICER[1])
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").click()
        if "/2fa/" in page.url:  # staff sign in with a second factor: the demo officer's authenticator code
            import pyotp

            page.fill("input[name=code]", pyotp.TOTP(OFFICER_TOTP).now())
            with page.expect_navigation():
                page.locator("form:has(input[name=code]) button.button[type=submit]").click()
        assert "/accounts/login/" not in page.url and "/2fa/" not in page.url, "the officer could not sign in"
        page.goto(f"/en/roundtables/{roundtable}/minutes/")
        upload_form = page.locator("form:has(input[type=file])")
        upload_form.locator("input[name=title]").fill("Scanned minutes (cluster test)")
        upload_form.locator("input[type=file]").set_input_files(str(source))
        with page.expect_navigation():
            upload_form.locator("[type=submit]").click()
        link = page.locator(f"a[href*='/roundtables/{roundtable}/attachments/']").last
        path = link.get_attribute("href")
        with page.expect_download() as download:
            link.click()
        downloaded = Path(download.value.path()).read_bytes()
        session = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "sessionid")
        browser.close()
    return {"path": path, "session": session, "downloaded": downloaded == PDF}


def readable_on_nodes(path: str, session: str) -> dict[str, bool]:
    headers = {"Cookie": f"sessionid={session}", "Host": "127.0.0.1"}
    return {
        name: fetch(f"http://127.0.0.1:{port}{path}", headers=headers)[1] == PDF for name, port in NODE_PORTS.items()
    }


# --- The run ---------------------------------------------------------------------------------------


def start_cluster(processes: Processes, environment: dict) -> None:
    for name, port in NODE_PORTS.items():
        node = {
            **environment,
            "KELISIM_BIND": f"127.0.0.1:{port}",
            "PROMETHEUS_MULTIPROC_DIR": str(WORK / f"metrics-{name}"),
        }
        shutil.rmtree(WORK / f"metrics-{name}", ignore_errors=True)
        processes.start(name, [GUNICORN, "-c", "deploy/gunicorn.conf.py", "kelisim.wsgi"], node)
    for name in ("worker-1", "worker-2"):
        processes.start(name, [PYTHON, "manage.py", "db_worker", "--interval", "0.5"], environment)
    for name in ("scheduler-1", "scheduler-2"):
        processes.start(name, [PYTHON, "manage.py", "run_periodic", "--tick", "1"], environment)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def p50_p99(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.0f} / {percentile(values, 0.99):.0f}"


def events(processes: Processes, nginx: Nginx, start: float, marks: dict, slow: SlowConnections) -> None:
    """The faults, on a timeline relative to the start of the load."""

    def at(offset: float) -> None:
        time.sleep(max(0.0, start + offset - time.monotonic()))

    at(DURATION * 0.12)
    say("SIGKILL node-3 (nginx must route around it)")
    marks["node-3 killed"] = time.monotonic()
    processes.signal("node-3", signal.SIGKILL)
    at(DURATION * 0.2)
    say("SIGKILL worker-1")
    processes.signal("worker-1", signal.SIGKILL)
    at(DURATION * 0.28)
    processes.restart("worker-1")
    at(DURATION * 0.35)
    say("Rolling restart of node-2 (taken out of nginx, SIGTERM, started again, put back: docs/deployment.md)")
    marks["node-2 restart"] = time.monotonic()
    nginx.set_nodes(drained=("node-2",))
    nginx.check_nodes()
    time.sleep(3)  # nginx's old workers finish what they sent to node-2
    processes.signal("node-2", signal.SIGTERM, wait=40)
    processes.restart("node-2")
    wait_for(f"http://127.0.0.1:{NODE_PORTS['node-2']}/healthz")
    nginx.set_nodes(drained=())
    nginx.check_nodes()
    marks["node-2 back"] = time.monotonic()
    at(DURATION * 0.5)
    say("node-3 started again")
    processes.restart("node-3")
    wait_for(f"http://127.0.0.1:{NODE_PORTS['node-3']}/healthz")
    at(DURATION * 0.6)
    say(f"{SLOW_CONNECTIONS} slow connections to nginx for {DURATION * 0.3:.0f} s")
    marks["slow start"] = time.monotonic()
    slow.run(DURATION * 0.3)
    marks["slow end"] = time.monotonic()


def health_checker(nginx: Nginx, stop: threading.Event) -> None:
    while not stop.wait(2):
        nginx.check_nodes()


def main() -> int:
    from kelisim.core import seaweedfs

    preflight()
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True)
    processes, nginx = Processes(), Nginx()
    with seaweedfs.running(WORK / "seaweedfs", port_start=18400) as s3:
        environment = prepare(s3.storage_url)
        tokens = tokens_for(environment)
        every = periodic_every(environment)
        roundtable = psql("SELECT id FROM meetings_roundtable WHERE status = 'scheduled' ORDER BY id LIMIT 1")[0][0]
        stop_checks = threading.Event()
        cluster_started = time.time()
        try:
            start_cluster(processes, environment)
            for port in NODE_PORTS.values():
                wait_for(f"http://127.0.0.1:{port}/healthz")
            nginx.write()
            nginx.start()
            wait_for(f"{BASE}/readyz")
            checker = threading.Thread(target=health_checker, args=(nginx, stop_checks), daemon=True)
            checker.start()
            say("Browser journeys through nginx")
            journey = journeys(roundtable)
            on_nodes_before = readable_on_nodes(journey["path"], journey["session"])
            anonymous_object = fetch(f"{s3.endpoint}/{s3.bucket}/")[0]

            say(f"Mixed load through nginx for {DURATION:.0f} s with {VISITORS} visitors")
            load, marks, slow = Load(tokens), {}, SlowConnections(SLOW_CONNECTIONS)
            start = time.monotonic()
            faults = threading.Thread(target=events, args=(processes, nginx, start, marks, slow))
            faults.start()
            stop_load = threading.Event()
            visitors = threading.Thread(target=load.run, args=(stop_load,))
            visitors.start()
            time.sleep(DURATION)
            faults.join()  # the load goes on until the last fault (the slow connections) is over
            stop_load.set()
            visitors.join()
            still_running = all(
                processes.alive(name) for name in ("worker-1", "worker-2", "scheduler-1", "scheduler-2", *NODE_PORTS)
            )
            on_nodes_after = readable_on_nodes(journey["path"], journey["session"])
            metrics = fetch(
                f"http://127.0.0.1:{NODE_PORTS['node-1']}/metrics",
                headers={"Authorization": f"Bearer {METRICS_TOKEN}", "Host": "127.0.0.1"},
            )
            time.sleep(2)
            periodic = psql(
                "SELECT task_path FROM django_tasks_database_dbtaskresult "
                f"WHERE enqueued_at >= to_timestamp({cluster_started})"
            )
        finally:
            stop_checks.set()
            nginx.stop()
            processes.stop_all()
    # Each scheduler logs every enqueue with its due time (kelisim.core.periodic, JSON lines): one per due time.
    claims = Counter()
    for name in ("scheduler-1", "scheduler-2"):
        for line in (WORK / "logs" / f"{name}.log").read_text().splitlines():
            if line.startswith("{") and '"periodic"' in line:
                entry = json.loads(line)
                claims[(entry["periodic"], entry["slot"])] += 1
    enqueues = sum(claims.values())
    twice = sum(1 for count in claims.values() if count > 1)
    in_table = sum(1 for (path,) in periodic if path in every)

    records = load.records
    killed = marks.get("node-3 killed", 0)
    failed = [r for r in records if r[2] == 0 or r[2] >= 500]
    in_flight = [r for r in failed if r[0] <= killed <= r[1]]
    latencies = [(r[1] - r[0]) * 1000 for r in records if 0 < r[2] < 500]
    slow_window = [r for r in records if marks["slow start"] <= r[0] and r[1] <= marks["slow end"] and 0 < r[2] < 500]
    slow_latencies = [(r[1] - r[0]) * 1000 for r in slow_window]
    before_slow = [
        (r[1] - r[0]) * 1000
        for r in records
        if marks["node-2 back"] <= r[0] and r[1] < marks["slow start"] and 0 < r[2] < 500
    ]
    statuses = Counter(r[2] for r in records)
    files_before = sum(on_nodes_before.values())
    files_after = sum(on_nodes_after.values())
    table = {
        "requests sent through nginx": len(records),
        "answered": len(records) - len(failed),
        "failed": len(failed),
        "failed while in flight on the killed node": len(in_flight),
        "failed otherwise": len(failed) - len(in_flight),
        "answers by status": " ".join(f"{status}:{count}" for status, count in sorted(statuses.items())),
        "latency p50 / p99 (ms)": p50_p99(latencies),
        "periodic due times enqueued (schedulers' logs / task table) / twice": f"{enqueues} / {in_table} / {twice}",
        "journeys (home, consultation, sign-in, upload, download)": "passed" if journey["downloaded"] else "FAILED",
        "file readable on nodes (after upload / after the load)": f"{files_before}/3 / {files_after}/3",
        "anonymous read of the bucket": anonymous_object,
        "slow connections held at once (min) / opened / dropped by nginx": (
            f"{slow.held_min} / {slow.opened} / {slow.closed_by_nginx}"
        ),
        "pages served while slow connections held": len(slow_window),
        "p50 / p99 while slow connections held (ms)": p50_p99(slow_latencies),
        "p50 / p99 just before them (ms)": p50_p99(before_slow),
        "metrics scraped from node-1": metrics[0],
        "workers and schedulers running at the end": still_running,
    }
    width = max(len(name) for name in table)
    print("\n| what | value |\n|---|---:|")
    for name, value in table.items():
        print(f"| {name.ljust(width)} | {value} |")
    healthy = (
        table["failed otherwise"] == 0
        and twice == 0
        and enqueues == in_table
        and files_before == files_after == 3
        and journey["downloaded"]
        and len(slow_window) > 0
        and still_running
    )
    if os.environ.get("CLUSTER_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", "postgres")
        subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=False, capture_output=True)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
