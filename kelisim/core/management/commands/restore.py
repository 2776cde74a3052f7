from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kelisim.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into the configured database and media folder, replacing "
        "what is there, then check every table against the backup's manifest. Stop the site and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A kelisim-<time> folder written by `manage.py backup`.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        try:
            manifest = read_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not options["no_input"]:
            answer = input(
                f"Replace the current database and media with the backup of {manifest['created_at']}? Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            restore_backup(folder, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Restore complete: every table matches the backup."))
