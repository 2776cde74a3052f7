import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Kelisim on 127.0.0.1 with a task worker and the periodic scheduler beside it (`make run`)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, **options):
        manage = [sys.executable, "manage.py"]
        helpers = [
            subprocess.Popen([*manage, "db_worker", "--interval", "0.5"]),  # noqa: S603
            subprocess.Popen([*manage, "run_periodic"]),  # noqa: S603
        ]
        try:
            server = subprocess.run([*manage, "runserver", f"127.0.0.1:{options['port']}"])  # noqa: S603
            return_code = server.returncode
        except KeyboardInterrupt:
            return_code = 0
        finally:
            for helper in helpers:
                helper.send_signal(signal.SIGTERM)
            for helper in helpers:
                try:
                    helper.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    helper.kill()
        if return_code:
            sys.exit(return_code)
