import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

LANGUAGES = ("kk", "ru", "en")


class Command(BaseCommand):
    help = "Refresh every Kelisim app's .po catalogues (kk, ru, en) from the source; needs GNU gettext."

    def handle(self, *args, **options):
        manage = Path(settings.BASE_DIR) / "manage.py"
        for config in apps.get_app_configs():
            if not config.name.startswith("kelisim."):
                continue
            app_dir = Path(config.path)
            (app_dir / "locale").mkdir(exist_ok=True)
            arguments = [
                sys.executable,
                str(manage),
                "makemessages",
                "--no-obsolete",
                "--no-location",
                *[f"--locale={code}" for code in LANGUAGES],
            ]
            subprocess.run(arguments, cwd=app_dir, check=True)  # noqa: S603 - our own interpreter and script
            self.stdout.write(f"{config.label}: catalogues refreshed")
