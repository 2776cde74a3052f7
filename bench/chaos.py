"""`make chaos`: Kelisim under load while things break, on PostgreSQL and Redis.

Starts gunicorn (3 workers), two task workers and two schedulers against a fresh database, drives a mixed
read/write load from many accounts and addresses, and meanwhile SIGKILLs a worker twice, hangs the mail
server, restarts PostgreSQL and replays submissions with and without Idempotency-Key. Then it waits for the
queue to drain and prints one table: acknowledged writes, rows found, lost, duplicated, tasks stuck, emails
sent twice, answers of 500, time to ready after the restart, and whether the worker and scheduler still run.
Exits 1 if anything was lost, duplicated, stuck, sent twice or answered 500.

Needs: PostgreSQL on 127.0.0.1:5432 with trust auth (the cluster is restarted!), Redis on 127.0.0.1:6379,
root (for pg_ctlcluster). Not part of `make test`: it restarts the machine's PostgreSQL.
"""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chaos_smtp import FakeSmtpServer
from load import api_tokens, call

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "kelisim_chaos"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
DURATION = float(os.environ.get("CHAOS_SECONDS", "90"))
USERS = 12
ACCOUNTS = 30
DOCUMENT = "programme-draft"  # the demo's open consultation


class Processes:
    """The node's processes, started like systemd would and started again after a kill."""

    def __init__(self, environment: dict):
        self.environment, self.running = environment, {}

    def start(self, name: str, arguments: list[str]) -> None:
        log = open(f"/tmp/kelisim-chaos-{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.running[name] = (
            arguments,
            subprocess.Popen(arguments, cwd=ROOT, env=self.environment, stdout=log, stderr=log),
        )

    def kill(self, name: str) -> None:
        self.running[name][1].send_signal(signal.SIGKILL)
        self.running[name][1].wait()

    def restart(self, name: str) -> None:
        self.start(name, self.running[name][0])

    def alive(self, name: str) -> bool:
        return self.running[name][1].poll() is None

    def stop_all(self) -> None:
        for _, process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for _, process in self.running.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def manage(environment: dict, *arguments: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(smtp_port: int) -> dict:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    environment = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "KELISIM_VAR_DIR": "/tmp/kelisim-chaos",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "3",
        "TASK_LEASE_SECONDS": "15",
        "TASK_HEARTBEAT_SECONDS": "3",
        "TRUSTED_PROXY_COUNT": "1",
        "DEBUG": "0",
    }
    subprocess.run(["redis-cli", "-n", "9", "FLUSHDB"], check=False, capture_output=True)
    print("Preparing the database (migrate, demo scenario, accounts)…", flush=True)
    manage(environment, "migrate", "--no-input", "-v0")
    manage(environment, "load_demo")
    manage(environment, "collectstatic", "--no-input", "-v0")
    return environment


def open_article_id() -> int:
    with psycopg.connect(f"{PG}/{DATABASE}") as connection:
        row = connection.execute(
            "SELECT id FROM publications_article WHERE status = 'published' AND comments_enabled "
            "AND published_at <= now() ORDER BY id LIMIT 1"
        ).fetchone()
    return row[0]


def tokens_for(environment: dict) -> list[str]:
    return api_tokens(manage, environment, ACCOUNTS)


def request(method: str, path: str, body: dict | None = None, headers: dict | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    headers = dict(headers or {})
    if data is not None:
        headers["Content-Type"] = "application/json"
    return call(BASE + path, method, data, headers)[0]  # 0: refused or timed out, not an answer


class Load:
    """Many visitors: nine reads in ten, the rest signed and anonymous suggestions, some sent twice."""

    READS = ("/en/", "/ru/consultation/", "/en/news/", "/kk/organisations/", "/api/v1/consultations/suggestions")

    def __init__(self, tokens: list[str], article_id: int):
        self.tokens, self.article_id, self.lock = tokens, article_id, threading.Lock()
        self.statuses, self.acknowledged, self.replayed = Counter(), set(), 0
        self.errors_during_outage, self.outage = 0, threading.Event()

    def record(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status == 500 and self.outage.is_set():
                self.errors_during_outage += 1

    def acknowledge(self, marker: str, status: int, attempt: int = 0) -> None:
        self.record(status)
        if status == 201:
            with self.lock:
                self.acknowledged.add(marker)
                self.replayed += attempt

    def comment(self) -> None:
        """A comment sent three times at once without a key: the duplicate rule must keep one."""
        marker = uuid.uuid4().hex
        body = {"text": f"Chaos comment {marker}: thank you for the clear report.", "accept_policy": True}
        headers = {"Authorization": f"Bearer {random.choice(self.tokens)}"}
        path = f"/api/v1/comments/publications.article/{self.article_id}"
        copies = [
            threading.Thread(target=lambda: self.acknowledge(marker, request("POST", path, body, headers)))
            for _ in range(3)
        ]
        for copy in copies:
            copy.start()
        for copy in copies:
            copy.join()

    def write(self, visitor: int) -> None:
        if random.random() < 0.3:
            self.comment()
            return
        marker = uuid.uuid4().hex
        body = {"document": DOCUMENT, "text": f"Chaos suggestion {marker}: more youth clubs in villages."}
        headers = {"Idempotency-Key": marker, "X-Forwarded-For": f"198.51.{visitor % 250}.{random.randint(1, 250)}"}
        if random.random() < 0.5:
            headers["Authorization"] = f"Bearer {random.choice(self.tokens)}"
        else:
            body["contact_email"] = f"visitor-{marker[:8]}@example.org"
        for attempt in range(1 + (random.random() < 0.3)):  # three in ten are sent twice
            self.acknowledge(marker, request("POST", "/api/v1/consultations/suggestions", body, headers), attempt)

    def visitor(self, number: int, until: float) -> None:
        while time.monotonic() < until:
            if random.random() < 0.1:
                self.write(number)
            else:
                self.record(request("GET", random.choice(self.READS)))

    def run(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=self.visitor, args=(n, until)) for n in range(USERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def wait_ready(timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if request("GET", "/readyz") == 200:
            return time.monotonic() - started
        time.sleep(0.5)
    raise SystemExit("Kelisim did not become ready")


def restart_postgresql(load: Load, down_seconds: float = 8) -> float:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    load.outage.set()
    subprocess.run([*command, "stop", "-m", "fast"], check=True)
    time.sleep(down_seconds)
    subprocess.run([*command, "start"], check=True)
    restarted = time.monotonic()
    wait_ready()
    load.outage.clear()
    return time.monotonic() - restarted


def faults(processes: Processes, smtp: FakeSmtpServer, load: Load, report: dict) -> None:
    """The timeline of what breaks while the load runs."""
    step = DURATION / 6
    time.sleep(step)
    processes.kill("worker-1")
    processes.restart("worker-1")
    time.sleep(step)
    smtp.hang = True
    time.sleep(step)
    report["time to ready after the restart (s)"] = round(restart_postgresql(load), 1)
    smtp.hang = False
    time.sleep(step)
    processes.kill("worker-2")
    processes.restart("worker-2")


def drained(cursor) -> bool:
    cursor.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')")
    waiting_tasks = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM core_outboxemail WHERE status <> 'sent' AND attempts < 5")
    return waiting_tasks == 0 and cursor.fetchone()[0] == 0


def outcome(load: Load, smtp: FakeSmtpServer, processes: Processes, report: dict) -> dict:
    with psycopg.connect(f"{PG}/{DATABASE}", autocommit=True) as connection, connection.cursor() as cursor:
        deadline = time.monotonic() + 300  # the outbox retries every minute; a dead claim expires after 30 s
        while not drained(cursor) and time.monotonic() < deadline:
            time.sleep(2)
        found = Counter()
        for table in ("consultations_suggestion", "comments_comment"):
            cursor.execute(f"SELECT substring(text from 'Chaos [a-z]+ ([0-9a-f]{{32}})') FROM {table}")
            found.update(row[0] for row in cursor.fetchall() if row[0])
        cursor.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'")
        stuck = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM core_outboxemail WHERE status <> 'sent'")
        unsent = cursor.fetchone()[0]
    return {
        "acknowledged writes": len(load.acknowledged),
        "suggestions sent twice with one key": load.replayed,
        "rows found": sum(1 for marker in load.acknowledged if found[marker]),
        "lost": sum(1 for marker in load.acknowledged if not found[marker]),
        "duplicated": sum(count - 1 for count in found.values() if count > 1),
        "tasks stuck or failed": stuck,
        "emails not sent": unsent,
        "emails sent": len(smtp.message_ids),
        "emails sent twice": sum(count - 1 for count in Counter(smtp.message_ids).values() if count > 1),
        "answers of 500": load.statuses[500],
        "answers of 500 during the outage": load.errors_during_outage,
        "answers of 503": load.statuses[503],
        "requests": sum(load.statuses.values()),
        **report,
        "workers still running": all(processes.alive(name) for name in ("worker-1", "worker-2")),
        "schedulers still running": all(processes.alive(name) for name in ("scheduler-1", "scheduler-2")),
    }


def start_node(processes: Processes) -> None:
    processes.start("web", [str(ROOT / ".venv/bin/gunicorn"), "kelisim.wsgi", "-w", "3", "-b", f"127.0.0.1:{PORT}"])
    for name in ("worker-1", "worker-2"):
        processes.start(name, [PYTHON, "manage.py", "db_worker", "--interval", "0.2"])
    for name in ("scheduler-1", "scheduler-2"):
        processes.start(name, [PYTHON, "manage.py", "run_periodic", "--tick", "2"])


def main() -> int:
    smtp = FakeSmtpServer()
    smtp.start()
    environment = prepare(smtp.port)
    tokens = tokens_for(environment)
    processes = Processes(environment)
    start_node(processes)
    try:
        wait_ready()
        load, report = Load(tokens, open_article_id()), {}
        chaos = threading.Thread(target=faults, args=(processes, smtp, load, report))
        print(f"Load for {DURATION:.0f} s, {USERS} visitors; workers killed, mail hung, PostgreSQL restarted…")
        chaos.start()
        load.run(DURATION)
        chaos.join()
        table = outcome(load, smtp, processes, report)
    finally:
        processes.stop_all()
        smtp.stop()
    width = max(len(name) for name in table)
    print("\n| what | count |\n|---|---:|")
    for name, value in table.items():
        print(f"| {name.ljust(width)} | {value} |")
    failures = ("lost", "duplicated", "tasks stuck or failed", "emails not sent", "emails sent twice", "answers of 500")
    healthy = all(table[name] == 0 for name in failures)
    return 0 if healthy and table["workers still running"] and table["schedulers still running"] else 1


if __name__ == "__main__":
    sys.exit(main())
