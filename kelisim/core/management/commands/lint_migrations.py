"""Rolling upgrades need migrations that the previous release survives (issue 12): django-migration-linter
reads the SQL of every migration added since the baseline and refuses dropped or renamed columns and tables,
NOT NULL columns without a database default, and the like (docs/deployment.md, "Rolling upgrades").

Migrations that existed when the linter was introduced are listed in kelisim/core/data/migrations_baseline.txt
and not linted; every later one is.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASELINE = Path(__file__).resolve().parents[2] / "data" / "migrations_baseline.txt"


def migration_files() -> list[str]:
    root = Path(settings.BASE_DIR)
    return sorted(str(path.relative_to(root)) for path in root.glob("kelisim/*/migrations/[0-9]*.py") if path.is_file())


class Command(BaseCommand):
    help = "Lint the migrations added since the baseline for backward-incompatible changes (django-migration-linter)."

    def add_arguments(self, parser):
        parser.add_argument("--write-baseline", action="store_true", help="List every current migration as baseline.")

    def handle(self, *args, write_baseline: bool, **options):
        current = migration_files()
        if write_baseline:
            BASELINE.write_text("".join(f"{name}\n" for name in current))
            self.stdout.write(f"{len(current)} migrations in the baseline")
            return
        from django_migration_linter import MigrationLinter

        baseline = set(BASELINE.read_text().split())
        new = [name for name in current if name not in baseline]
        if not new:
            self.stdout.write("No migration since the baseline.")
            return
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
            listing.write("".join(f"{settings.BASE_DIR}/{name}\n" for name in new))
            listing.flush()
            linter = MigrationLinter(str(settings.BASE_DIR), no_cache=True)
            linter.lint_all_migrations(migrations_file_path=listing.name)
            linter.print_summary()
        if linter.has_errors:
            raise CommandError("a migration would break the running release during a rolling upgrade (see above)")
