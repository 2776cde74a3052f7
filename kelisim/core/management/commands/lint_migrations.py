"""Rolling upgrades need migrations that the previous release survives (issue 12): django-migration-linter
reads the SQL of every migration added since the baseline and refuses dropped or renamed columns and tables,
NOT NULL columns without a database default, and the like (docs/deployment.md, "Rolling upgrades").

Migrations that existed when the linter was introduced are listed in kelisim/core/data/migrations_baseline.txt
and not linted; every later one is. A finding that was read and judged safe (widening a column, an index on a small
table) is listed with its reason in kelisim/core/data/migrations_reviewed.txt; only that finding is then ignored for
that migration, so anything else the same migration does is still checked.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
