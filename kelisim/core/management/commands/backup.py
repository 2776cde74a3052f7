from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kelisim.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump custom format) and the uploaded files into a new "
        "folder with a manifest of checksums and per-table row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="Where to write it.")

    def handle(self, *args, **options):
        try:
            folder = create_backup(Path(options["output"]), progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(folder)))
