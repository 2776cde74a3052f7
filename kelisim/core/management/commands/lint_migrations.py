"""Rolling upgrades need migrations that the previous release survives (issue 12): django-migration-linter
reads the SQL of every migration added since the baseline and refuses dropped or renamed columns and tables,
NOT NULL columns without a database default, and the like (docs/deployment.md, "Rolling upgrades").

Migrations that existed when the linter was introduced are listed in kelisim/core/data/migrations_baseline.txt
and not linted; every later one is. A finding that was read and judged safe (widening a column, an index on a small
table) is listed with its reason in kelisim/core/data/migrations_reviewed.txt; only that finding is then ignored for
that migration, so anything else the same migration does is still checked.

The linter reads SQL and accepts ``ADD COLUMN … DEFAULT '' NOT NULL`` although Django drops that default in the
next statement; so the operations themselves are also checked: a column added to an existing table must be
nullable or carry ``db_default``, or the release still running cannot insert a row.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import migrations as operations
from django.db.migrations.loader import MigrationLoader
from django.db.models import NOT_PROVIDED

BASELINE = Path(__file__).resolve().parents[2] / "data" / "migrations_baseline.txt"
REVIEWED = BASELINE.with_name("migrations_reviewed.txt")


def reviewed_findings() -> dict[str, frozenset[str]]:
    """``{migration file: finding codes judged safe}`` from the reviewed list (text after ``#`` is the reason)."""
    findings = {}
    for line in REVIEWED.read_text().splitlines():
        entry = line.split("#", 1)[0].split()
        if entry:
            name, codes = entry
            findings[name] = frozenset(codes.split(","))
    return findings


def migration_files() -> list[str]:
    root = Path(settings.BASE_DIR)
    return sorted(str(path.relative_to(root)) for path in root.glob("kelisim/*/migrations/[0-9]*.py") if path.is_file())


def columns_old_code_cannot_fill(names: list[str]) -> list[str]:
    """``app.migration: model.field`` for every NOT NULL column without a database default that these migration
    files add to an existing table (``kelisim/<app>/migrations/<name>.py``)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for name in names:
        parts = Path(name).parts
        migration = loader.disk_migrations.get((parts[-3], Path(name).stem))
        if migration is None:
            continue
        for operation in migration.operations:
            if not isinstance(operation, operations.AddField):
                continue
            field = operation.field
            if field.null or field.many_to_many or field.db_default is not NOT_PROVIDED:
                continue
            found.append(f"{migration.app_label}.{migration.name}: {operation.model_name}.{operation.name}")
    return found


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
        baseline = set(BASELINE.read_text().split())
        new = [name for name in current if name not in baseline]
        if not new:
            self.stdout.write("No migration since the baseline.")
            return
        reviewed = reviewed_findings()
        groups: dict[frozenset[str], list[str]] = {}
        for name in new:
            groups.setdefault(reviewed.get(name, frozenset()), []).append(name)
        failed = False
        for problem in columns_old_code_cannot_fill([name for name in new if "NOT_NULL" not in reviewed.get(name, ())]):
            self.stderr.write(f"{problem}: NOT NULL without db_default, the running release cannot insert rows")
            failed = True
        for excluded, names in groups.items():
            failed |= self.lint(names, excluded)
        if failed:
            raise CommandError("a migration would break the running release during a rolling upgrade (see above)")

    def lint(self, names: list[str], excluded: frozenset[str]) -> bool:
        from django_migration_linter import MigrationLinter

        with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
            listing.write("".join(f"{settings.BASE_DIR}/{name}\n" for name in names))
            listing.flush()
            linter = MigrationLinter(str(settings.BASE_DIR), no_cache=True, exclude_migration_tests=sorted(excluded))
            linter.lint_all_migrations(migrations_file_path=listing.name)
            linter.print_summary()
        return linter.has_errors
