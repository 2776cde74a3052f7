import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kelisim on 127.0.0.1 with a background task worker beside it (what `make run` runs)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, **options):
        manage = [sys.executable, "manage.py"]
        worker = subprocess.Popen([*manage, "db_worker", "--interval", "0.5"])  # noqa: S603
        try:
            server = subprocess.run([*manage, "runserver", f"127.0.0.1:{options['port']}"])  # noqa: S603
            return_code = server.returncode
        except KeyboardInterrupt:
            return_code = 0
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
        if return_code:
            sys.exit(return_code)
