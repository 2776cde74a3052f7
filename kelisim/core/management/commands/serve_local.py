import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

RESTART_PAUSE_SECONDS = 2.0


class Supervised:
    """A helper process that is started again whenever it ends, until the server stops."""

    def __init__(self, arguments: list[str], stdout, environment: dict[str, str] | None = None):
        self.arguments, self.stdout, self.environment = arguments, stdout, environment
        self.process = self._start()
        self.restarts = 0

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(self.arguments, env=self.environment)  # noqa: S603 - our interpreter and manage.py

    def keep_alive(self) -> None:
        code = self.process.poll()
        if code is None:
            return
        self.restarts += 1
        self.stdout.write(f"{' '.join(self.arguments[2:])} ended with {code}; starting it again")
        time.sleep(RESTART_PAUSE_SECONDS)
        self.process = self._start()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def child_environment(port: int, environ=None) -> dict[str, str]:
    """The environment of the server, worker and scheduler: emails written by any of them link to the port served.

    An explicit ``SITE_URL`` (a tunnel, a proxy) is kept; otherwise it is this machine at the port served.
    """
    environment = dict(os.environ if environ is None else environ)
    environment["PORT"] = str(port)
    if not environment.get("SITE_URL"):
        environment["SITE_URL"] = f"http://127.0.0.1:{port}"
    return environment


class Command(BaseCommand):
    help = (
        "Serve Kelisim on 127.0.0.1 with a task worker and the periodic scheduler beside it (`make run`); "
        "the worker and the scheduler are started again if they end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, **options):
        # A SIGTERM (from a terminal multiplexer, a service manager) stops the children too, as Ctrl+C does.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        manage = [sys.executable, "manage.py"]
        environment = child_environment(options["port"])
        helpers = [
            Supervised([*manage, "db_worker", "--interval", "0.5"], self.stdout, environment),
            Supervised([*manage, "run_periodic"], self.stdout, environment),
        ]
        server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{options['port']}"], env=environment)  # noqa: S603
        return_code = 0
        try:
            while (return_code := server.poll()) is None:
                for helper in helpers:
                    helper.keep_alive()
                time.sleep(1)
        except (KeyboardInterrupt, SystemExit):
            return_code = 0
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                server.wait(timeout=10)
            for helper in helpers:
                helper.stop()
        if return_code:
            sys.exit(return_code)
