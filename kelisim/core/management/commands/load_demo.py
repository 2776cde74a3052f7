import time
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


def demo_modules() -> list[str]:
    """Each Kelisim app's ``demo`` module, in the order of INSTALLED_APPS (the order of the flow)."""
    return [
        f"{config.name}.demo"
        for config in apps.get_app_configs()
        if config.name.startswith("kelisim.") and find_spec(f"{config.name}.demo") is not None
    ]


class Command(BaseCommand):
    help = "Load the demo scenario (idempotent: a second run changes nothing) and print the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-signins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args, **options):
        started = time.monotonic()
        for path in demo_modules():
            loader = import_string(f"{path}.load")
            step = time.monotonic()
            with transaction.atomic():
                summary = loader(stdout=self.stdout)
            self.stdout.write(f"  {path.rsplit('.', 2)[-2]:<14} {summary or ''} ({time.monotonic() - step:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Demo scenario ready in {time.monotonic() - started:.1f} s."))
        if not options["quiet_signins"]:
            from kelisim.accounts.demo import print_signins

            print_signins(self.stdout)
