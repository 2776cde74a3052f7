"""`make cluster-test`: the production shape of Kelisim on one machine, on loopback only (issue 12).

Brings up SeaweedFS (S3), nginx with deploy/nginx/ (its locations.conf and http part as shipped; only paths,
ports and the node list differ), three gunicorn nodes with deploy/gunicorn.conf.py, two task workers and two
schedulers, all on the machine's PostgreSQL (a database of their own) and Redis (a db number of their own).
The cluster starts on the previous release (CLUSTER_OLD_REF, else the commit before the newest one that added
a migration, unpacked with `git archive`) and is upgraded to this working tree under load. Then:

1. browser journeys through nginx on the old release (Playwright, Debian's Chromium): the home page and the
   consultation as a visitor; an officer signs in, attaches a PDF to a roundtable's minutes, downloads it
   again; the file is then read from each node directly with the officer's session;
2. a mixed load through nginx from many clients, each with its own address and API token (bench/load.py):
   pages, API reads, API writes with Idempotency-Key. Meanwhile a rolling upgrade: the new release's
   migrations run while the old release serves, then workers, nodes (one at a time, out of nginx first) and
   schedulers are restarted on the new code. Then node 3 is SIGKILLed (and started again later), a worker is
   SIGKILLed (and started again), and 200 slow connections are held open against nginx;
3. the journeys again, on the new release; both files are read from every node.

It prints one table and exits 1 if a request failed that was not in flight on the killed node, a node does not
report the new release at the end, a periodic task was enqueued twice for a due time, a file was unreadable on
a node, a journey failed, or no page was served during the slow connections. Needs Linux, root (apt-get for
nginx and chromium when missing), PostgreSQL on 127.0.0.1:5432 with trust auth and Redis on 127.0.0.1:6379.
Settings: CLUSTER_DATABASE (kelisim_cluster), CLUSTER_REDIS_DB (12), CLUSTER_PORT_BASE (8700: nginx on +80,
nodes on +11..+13, SeaweedFS from CLUSTER_S3_PORT_START, +100), CLUSTER_SECONDS (120), CLUSTER_VISITORS (12),
CLUSTER_CLIENTS (1000), CLUSTER_OLD_REF, CLUSTER_DIR, CLUSTER_KEEP=1 (keep the database) and CLUSTER_REUSE=1
(start from the kept one).
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
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the standard library's modules are loaded

from load import Client, api_tokens, call, clients  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = os.environ.get("CLUSTER_DATABASE", "kelisim_cluster")
REDIS_DB = os.environ.get("CLUSTER_REDIS_DB", "12")
PORT_BASE = int(os.environ.get("CLUSTER_PORT_BASE", "8700"))
NGINX_PORT = PORT_BASE + 80
NODE_PORTS = {f"node-{n}": PORT_BASE + 10 + n for n in (1, 2, 3)}
S3_PORT_START = int(os.environ.get("CLUSTER_S3_PORT_START", PORT_BASE + 100))  # SeaweedFS takes 8 from here
BASE = f"http://127.0.0.1:{NGINX_PORT}"
DURATION = float(os.environ.get("CLUSTER_SECONDS", "120"))
WORK = Path(os.environ.get("CLUSTER_DIR", "/tmp/kelisim-cluster"))
VISITORS = int(os.environ.get("CLUSTER_VISITORS", "12"))
CLIENTS = int(os.environ.get("CLUSTER_CLIENTS", "1000"))
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
        self.running: dict[str, tuple[list[str], dict, Release, subprocess.Popen]] = {}

    def start(self, name: str, arguments: list[str], environment: dict, release: "Release") -> None:
        log = open(WORK / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            arguments,
            cwd=release.directory,
            env={**environment, "KELISIM_RELEASE": release.commit},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        self.running[name] = (arguments, environment, release, process)

    def signal(self, name: str, number: int, wait: float = 30) -> None:
        process = self.running[name][3]
        if number == signal.SIGKILL:
            os.killpg(process.pid, signal.SIGKILL)  # the machine is lost: the master and all its workers at once
        else:
            process.send_signal(number)
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self, name: str, release: "Release | None" = None) -> None:
        """Start the process again, on ``release`` when given (a rolling upgrade), else on the one it ran."""
        arguments, environment, ran, _ = self.running[name]
        self.start(name, arguments, environment, release or ran)

    def alive(self, name: str) -> bool:
        return self.running[name][3].poll() is None

    def stop_all(self) -> None:
        for *_, process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for *_, process in self.running.values():
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                process.kill()


def manage(environment: dict, *arguments: str, release: "Release | None" = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=release.directory if release else ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def psql(sql: str, database: str = DATABASE) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


# --- The releases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """Code the cluster runs: its commit (reported by /healthz), the directory it runs from, where it came from."""

    commit: str
    directory: Path
    origin: str


def git(*arguments: str) -> str:
    result = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def new_release() -> Release:
    return Release(git("describe", "--always", "--dirty", "--abbrev=12") or "unknown", ROOT, "this working tree")


def old_release(new: Release) -> Release:
    """The previous release, unpacked from git into the cluster's directory and run on this tree's .venv.

    CLUSTER_OLD_REF, else the parent of the newest commit that added a migration: the newest code that the
    new release's migrations must not break (what the migration linter promises). Without that history (a
    shallow clone) the cluster runs the new code throughout, and says so loudly."""
    wanted = os.environ.get("CLUSTER_OLD_REF", "")
    if not wanted:
        added = git("log", "-1", "--diff-filter=A", "--format=%H", "HEAD", "--", "kelisim/*/migrations/0*.py")
        wanted = f"{added}~1" if added else "the commit before the newest migration"
    commit = git("rev-parse", "--verify", "--quiet", f"{wanted}^{{commit}}")
    if not commit:
        say(f"WARNING: no history for the previous release ({wanted}); the rolling restart runs the SAME code")
        return Release(new.commit, new.directory, f"SAME code as the new release: no history for {wanted}")
    directory = WORK / "release-old"
    directory.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(directory)], input=archive, check=True)
    (directory / "RELEASE").write_text(commit[:12])  # what a deploy step writes (settings.RELEASE)
    dependencies = ["pyproject.toml", "requirements/lock.txt"]
    same = subprocess.run(["git", "diff", "--quiet", commit, "HEAD", "--", *dependencies], cwd=ROOT).returncode == 0
    # Migrations the old release has and the new one has since edited: its database is then not the one the
    # new release's migrations expect, whatever the linter says.
    edited = git("diff", "--diff-filter=MDR", "--name-only", commit, "HEAD", "--", "kelisim/*/migrations/*.py")
    edited = ", ".join(f"{path.split('/')[1]}.{Path(path).stem[:4]}" for path in edited.split())
    if edited:
        say(f"WARNING: migrations of the old release edited since: {edited}")
    release = Release(
        commit[:12],
        directory,
        f"git archive {commit[:12]}"
        + ("" if same else " (ITS DEPENDENCIES DIFFER from this tree's: it runs on this tree's .venv)")
        + (f"; its migrations EDITED SINCE: {edited}" if edited else ""),
    )
    manage(dict(os.environ), "compile_translations", release=release)  # .mo files are built, not committed
    return release


def release_on(port: int) -> str:
    status, body, _ = call(f"http://127.0.0.1:{port}/healthz", headers={"Host": "127.0.0.1"}, timeout=5)
    if status != 200:
        return "down"
    return json.loads(body).get("release") or "none"  # releases before settings.RELEASE do not say


def prepare(storage_url: str, release: Release) -> dict:
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
    say(f"Preparing the database with the old release {release.commit} (migrate, demo scenario, static files)")
    if not reuse:
        manage(environment, "migrate", "--no-input", "-v0", release=release)
        manage(environment, "load_demo", "--quiet-signins", release=release)
    manage(environment, "collectstatic", "--no-input", "-v0", release=release)
    return environment


def periodic_every(environment: dict, release: Release) -> dict[str, int]:
    script = (
        "import json; from kelisim.core import registry; "
        "print(json.dumps({p.task.module_path: p.every_seconds for p in registry.periodic_tasks()}))"
    )
    return json.loads(manage(environment, "shell", "-c", script, release=release).strip().splitlines()[-1])


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


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if call(url, timeout=5)[0] == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {timeout:.0f} s")


class Load:
    """Visitors through nginx, each visit (a few requests) made by one of many clients (bench/load.py): pages
    and API reads, and one request in ten an API suggestion with an Idempotency-Key and the client's token."""

    READS = (
        "/en/",
        "/ru/consultation/",
        "/kk/news/",
        "/en/organisations/",
        "/en/roundtables/",
        "/api/v1/consultations/suggestions",
    )

    def __init__(self, clients: list[Client]):
        self.clients, self.lock, self.records, self.resent = clients, threading.Lock(), [], Counter()

    def one(self, client: Client) -> None:
        started = time.monotonic()
        if random.random() < 0.1:
            key = uuid.uuid4().hex
            body = json.dumps({"document": "programme-draft", "text": f"Cluster suggestion {key}: more sport clubs."})
            headers = {
                "Authorization": f"Bearer {client.token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            }
            url = f"{BASE}/api/v1/consultations/suggestions"
            status, _, answer_headers = call(url, "POST", body.encode(), headers, client=client)
            if status == 503:  # what the API asks of a client: wait Retry-After, send again with the same key
                time.sleep(min(2, int(answer_headers.get("Retry-After", "1"))))
                status = call(url, "POST", body.encode(), headers, client=client)[0]
                with self.lock:
                    self.resent[status] += 1
            kind = "write"
        else:
            status = call(BASE + random.choice(self.READS), client=client)[0]
            kind = "read"
        with self.lock:
            self.records.append((started, time.monotonic(), status, kind))

    def run(self, stop: threading.Event) -> None:
        def visitor():
            while not stop.is_set():
                client = random.choice(self.clients)
                for _ in range(random.randint(1, 5)):
                    self.one(client)

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
        name: call(f"http://127.0.0.1:{port}{path}", headers=headers)[1] == PDF for name, port in NODE_PORTS.items()
    }


# --- The run ---------------------------------------------------------------------------------------

WORKERS, SCHEDULERS = ("worker-1", "worker-2"), ("scheduler-1", "scheduler-2")


def start_cluster(processes: Processes, environment: dict, release: Release) -> None:
    for name, port in NODE_PORTS.items():
        node = {
            **environment,
            "KELISIM_BIND": f"127.0.0.1:{port}",
            "PROMETHEUS_MULTIPROC_DIR": str(WORK / f"metrics-{name}"),
        }
        shutil.rmtree(WORK / f"metrics-{name}", ignore_errors=True)
        processes.start(name, [GUNICORN, "-c", "deploy/gunicorn.conf.py", "kelisim.wsgi"], node, release)
    for name in WORKERS:
        processes.start(name, [PYTHON, "manage.py", "db_worker", "--interval", "0.5"], environment, release)
    for name in SCHEDULERS:
        processes.start(name, [PYTHON, "manage.py", "run_periodic", "--tick", "1"], environment, release)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def p50_p99(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.0f} / {percentile(values, 0.99):.0f}"


def migrate_under_load(environment: dict, release: Release) -> tuple[list[str], list[str]]:
    """`manage.py migrate` beside a serving release, as docs/deployment.md runs it: with a lock timeout, so that
    visitors' queries never queue long behind a migration waiting for its lock, and again when it was stopped
    (a lock timeout, or a deadlock with the load); each migration is one transaction, undone whole.
    Returns the migrations applied and why earlier attempts stopped."""
    applied, stopped = [], []
    for _attempt in range(6):
        result = subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v1"],
            cwd=release.directory,
            env={**environment, "PGOPTIONS": "-c lock_timeout=5s"},
            capture_output=True,
            text=True,
        )
        applied += [line.split()[1].rstrip(".") for line in result.stdout.splitlines() if line.endswith("... OK")]
        if result.returncode == 0:
            return applied, stopped
        errors = [line for line in result.stderr.splitlines() if "Error" in line or "errors." in line]
        stopped.append(errors[-1].strip() if errors else "no message")
        say(f"migrate stopped ({stopped[-1][:120]}); again in 3 s")
        time.sleep(3)
    raise SystemExit(f"migrate did not complete beside the old release: {stopped}")


def rolling_upgrade(processes: Processes, nginx: Nginx, environment: dict, new: Release, upgrade: dict) -> None:
    """docs/deployment.md's rolling upgrade, under the load: the new release's migrations and static files while
    the old release serves, then the workers (a new node or scheduler may enqueue a task only new code knows),
    then one node after the other (out of nginx, SIGTERM, started on the new code, back in), then the
    schedulers."""
    say(f"Rolling upgrade onto {new.commit}: its migrations while the old release serves")
    upgrade["migrations"], upgrade["migrate stopped"] = migrate_under_load(environment, new)
    manage(environment, "collectstatic", "--no-input", "-v0", release=new)
    for name in WORKERS:
        processes.signal(name, signal.SIGTERM, wait=40)
        processes.restart(name, new)
    for name, port in NODE_PORTS.items():
        say(f"Rolling upgrade: {name} out of nginx, SIGTERM, started on {new.commit}, back in")
        nginx.set_nodes(drained=(name,))
        nginx.check_nodes()
        time.sleep(3)  # nginx's old workers finish what they sent to the node
        processes.signal(name, signal.SIGTERM, wait=40)
        processes.restart(name, new)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        upgrade[name] = release_on(port)
        nginx.set_nodes(drained=())
        nginx.check_nodes()
    for name in SCHEDULERS:
        processes.signal(name, signal.SIGTERM, wait=40)
        processes.restart(name, new)


def reporting_failure(marks: dict, function, *arguments) -> None:
    """Run ``function`` in a thread; what stopped it, if anything, goes to marks["failed"]."""
    try:
        function(*arguments)
    except BaseException as error:  # SystemExit too: a thread swallows it silently
        marks["failed"] = f"{type(error).__name__}: {error}"
        say(f"The timeline stopped: {marks['failed']}")


def timeline(
    processes: Processes,
    nginx: Nginx,
    environment: dict,
    new: Release,
    start: float,
    marks: dict,
    upgrade: dict,
    slow: SlowConnections,
) -> None:
    """The rolling upgrade and the faults, on a timeline relative to the start of the load."""

    def at(offset: float) -> None:
        time.sleep(max(0.0, start + offset - time.monotonic()))

    at(DURATION * 0.05)
    marks["upgrade start"] = time.monotonic()
    rolling_upgrade(processes, nginx, environment, new, upgrade)
    marks["upgrade end"] = time.monotonic()
    at(DURATION * 0.4)
    say("SIGKILL node-3 (nginx must route around it)")
    marks["node-3 killed"] = time.monotonic()
    processes.signal("node-3", signal.SIGKILL)
    marks["node-3 dead"] = time.monotonic()
    at(DURATION * 0.45)
    say("SIGKILL worker-1")
    processes.signal("worker-1", signal.SIGKILL)
    at(DURATION * 0.5)
    processes.restart("worker-1")
    at(DURATION * 0.55)
    say("node-3 started again")
    processes.restart("node-3")
    wait_for(f"http://127.0.0.1:{NODE_PORTS['node-3']}/healthz")
    marks["node-3 back"] = time.monotonic()
    at(DURATION * 0.6)
    time.sleep(max(0.0, marks["node-3 back"] + 15 - time.monotonic()))  # latency before the slow connections
    say(f"{SLOW_CONNECTIONS} slow connections to nginx for {DURATION * 0.3:.0f} s")
    marks["slow start"] = time.monotonic()
    slow.run(DURATION * 0.3)
    marks["slow end"] = time.monotonic()


def health_checker(nginx: Nginx, stop: threading.Event) -> None:
    while not stop.wait(2):
        nginx.check_nodes()


def addresses_nginx_saw() -> int:
    seen = set()
    for line in (WORK / "logs" / "nginx-access.log").read_text().splitlines():
        if line.startswith("{"):
            seen.add(json.loads(line)["client"])
    return len(seen)


def main() -> int:
    from kelisim.core import seaweedfs

    preflight()
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True)
    processes, nginx = Processes(), Nginx()
    new = new_release()
    old = old_release(new)
    say(f"Old release {old.commit} ({old.origin}); new release {new.commit} ({new.origin})")
    with seaweedfs.running(WORK / "seaweedfs", port_start=S3_PORT_START) as s3:
        environment = prepare(s3.storage_url, old)
        load_clients = clients(api_tokens(manage, environment, CLIENTS, release=old))
        every = periodic_every(environment, old)
        roundtable = psql("SELECT id FROM meetings_roundtable WHERE status = 'scheduled' ORDER BY id LIMIT 1")[0][0]
        stop_checks = threading.Event()
        cluster_started = time.time()
        try:
            start_cluster(processes, environment, old)
            for port in NODE_PORTS.values():
                wait_for(f"http://127.0.0.1:{port}/healthz")
            releases_before = [release_on(port) for port in NODE_PORTS.values()]
            nginx.write()
            nginx.start()
            wait_for(f"{BASE}/readyz")
            checker = threading.Thread(target=health_checker, args=(nginx, stop_checks), daemon=True)
            checker.start()
            say(f"Browser journeys through nginx on the old release {old.commit}")
            journey_old = journeys(roundtable)
            on_nodes_before = readable_on_nodes(journey_old["path"], journey_old["session"])
            anonymous_object = call(f"{s3.endpoint}/{s3.bucket}/")[0]

            say(f"Mixed load through nginx for {DURATION:.0f} s: {VISITORS} visitors, {CLIENTS} clients")
            load, marks, upgrade, slow = Load(load_clients), {}, {}, SlowConnections(SLOW_CONNECTIONS)
            start = time.monotonic()
            faults = threading.Thread(
                target=reporting_failure,
                args=(marks, timeline, processes, nginx, environment, new, start, marks, upgrade, slow),
            )
            faults.start()
            stop_load = threading.Event()
            visitors = threading.Thread(target=load.run, args=(stop_load,))
            visitors.start()
            time.sleep(DURATION)
            faults.join()  # the load goes on until the last fault (the slow connections) is over
            stop_load.set()
            visitors.join()
            if "failed" in marks:
                raise SystemExit(f"The rolling upgrade and faults did not complete: {marks['failed']}")
            say(f"Browser journeys through nginx on the new release {new.commit}")
            journey_new = journeys(roundtable)
            still_running = all(processes.alive(name) for name in (*WORKERS, *SCHEDULERS, *NODE_PORTS))
            releases_after = [release_on(port) for port in NODE_PORTS.values()]
            on_nodes_after = {
                name: old_file and new_file
                for (name, old_file), new_file in zip(
                    readable_on_nodes(journey_old["path"], journey_new["session"]).items(),
                    readable_on_nodes(journey_new["path"], journey_new["session"]).values(),
                    strict=True,
                )
            }
            metrics = call(
                f"http://127.0.0.1:{NODE_PORTS['node-1']}/metrics",
                headers={"Authorization": f"Bearer {METRICS_TOKEN}", "Host": "127.0.0.1"},
            )
            time.sleep(2)
            every |= periodic_every(environment, new)
            periodic = psql(
                "SELECT task_path FROM django_tasks_database_dbtaskresult "
                f"WHERE enqueued_at >= to_timestamp({cluster_started})"
            )
            tasks_failed = psql("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'")[0][0]
        finally:
            stop_checks.set()
            nginx.stop()
            processes.stop_all()
    # Each scheduler logs every enqueue with its due time (kelisim.core.periodic, JSON lines): one per due time.
    claims = Counter()
    for name in SCHEDULERS:
        for line in (WORK / "logs" / f"{name}.log").read_text().splitlines():
            if line.startswith("{") and '"periodic"' in line:
                entry = json.loads(line)
                claims[(entry["periodic"], entry["slot"])] += 1
    enqueues = sum(claims.values())
    twice = sum(1 for count in claims.values() if count > 1)
    in_table = sum(1 for (path,) in periodic if path in every)

    records = load.records
    failed = [r for r in records if r[2] == 0 or r[2] >= 500]
    # Sent before node 3's processes were gone, answered (with an error) after the kill began.
    in_flight = [r for r in failed if r[0] <= marks["node-3 dead"] and r[1] >= marks["node-3 killed"]]
    answered = [r for r in records if 0 < r[2] < 500]
    latencies = [(r[1] - r[0]) * 1000 for r in answered]
    during_upgrade = [r for r in records if marks["upgrade start"] <= r[0] <= marks["upgrade end"]]
    slow_window = [r for r in answered if marks["slow start"] <= r[0] and r[1] <= marks["slow end"]]
    slow_latencies = [(r[1] - r[0]) * 1000 for r in slow_window]
    before_slow = [
        (r[1] - r[0]) * 1000 for r in answered if marks["node-3 back"] <= r[0] and r[1] < marks["slow start"]
    ]
    statuses = Counter(r[2] for r in records)
    files_before = sum(on_nodes_before.values())
    files_after = sum(on_nodes_after.values())
    journeys_passed = journey_old["downloaded"] and journey_new["downloaded"]
    upgraded = all(release == new.commit for release in releases_after)
    table = {
        "old release → new release": f"{old.commit} ({old.origin}) → {new.commit} ({new.origin})",
        "migrations of the new release applied while the old one served": (
            (", ".join(upgrade["migrations"]) or "none")
            + "".join(f"; an attempt stopped: {reason[:90]}, run again" for reason in upgrade["migrate stopped"])
        ),
        "release by /healthz, node-1..3: before / after the rolling upgrade": (
            f"{' '.join(releases_before)} / {' '.join(releases_after)}"
        ),
        "requests during the rolling upgrade / failed": (
            f"{len(during_upgrade)} / {sum(1 for r in during_upgrade if r[2] == 0 or r[2] >= 500)}"
        ),
        "rolling upgrade took (s)": f"{marks['upgrade end'] - marks['upgrade start']:.0f}",
        "clients (own address and API token) / addresses nginx saw": f"{len(load_clients)} / {addresses_nginx_saw()}",
        "requests sent through nginx": len(records),
        "answered": len(records) - len(failed),
        "answered 429 (a client's own limit; not failures)": statuses[429],
        "writes answered 503, sent again with the same key → then answered": (
            f"{sum(load.resent.values())} → {' '.join(f'{s}:{n}' for s, n in sorted(load.resent.items())) or '-'}"
        ),
        "failed": len(failed),
        "failed while in flight on the killed node": len(in_flight),
        "failed otherwise": len(failed) - len(in_flight),
        "answers by status": " ".join(f"{status}:{count}" for status, count in sorted(statuses.items())),
        "latency p50 / p99 (ms)": p50_p99(latencies),
        "periodic due times enqueued (schedulers' logs / task table) / twice": f"{enqueues} / {in_table} / {twice}",
        "tasks failed": tasks_failed,
        "journeys (home, consultation, sign-in, upload, download) on old / new": (
            f"{'passed' if journey_old['downloaded'] else 'FAILED'} / "
            f"{'passed' if journey_new['downloaded'] else 'FAILED'}"
        ),
        "file readable on nodes (old upload, after it / both uploads, at the end)": (
            f"{files_before}/3 / {files_after}/3"
        ),
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
        and journeys_passed
        and upgraded
        and len(slow_window) > 0
        and still_running
    )
    if os.environ.get("CLUSTER_KEEP") != "1":
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", "postgres")
        subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=False, capture_output=True)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
