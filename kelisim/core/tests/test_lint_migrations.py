"""The rolling-upgrade linter (issue 12): reviewed findings are ignored one code at a time, never a whole migration."""

from pathlib import Path

from kelisim.core.management.commands import lint_migrations


def test_every_reviewed_entry_names_a_linted_migration_and_gives_a_reason():
    baseline = set(lint_migrations.BASELINE.read_text().split())
    current = set(lint_migrations.migration_files())
    for line in lint_migrations.REVIEWED.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        entry, _hash, reason = line.partition("#")
        name, codes = entry.split()
        assert name in current and name not in baseline, name
        assert reason.strip(), f"{name}: say why {codes} is safe"


def test_reviewed_findings_are_per_migration_and_per_code(tmp_path, monkeypatch):
    listing = tmp_path / "reviewed.txt"
    listing.write_text("# header\nkelisim/x/migrations/0002_a.py ALTER_COLUMN,CREATE_INDEX  # widening\n\n")
    monkeypatch.setattr(lint_migrations, "REVIEWED", Path(listing))
    assert lint_migrations.reviewed_findings() == {
        "kelisim/x/migrations/0002_a.py": frozenset({"ALTER_COLUMN", "CREATE_INDEX"})
    }


def test_a_not_null_column_whose_default_django_drops_is_found():
    """The SQL linter accepts ``ADD COLUMN … DEFAULT '' NOT NULL`` although Django drops that default at once."""
    found = lint_migrations.columns_old_code_cannot_fill(
        [
            "kelisim/consultations/migrations/0013_email_intake.py",
            "kelisim/consultations/migrations/0014_database_defaults_for_rolling_upgrades.py",
            "kelisim/consultations/migrations/0012_answer_facts.py",  # db_default given: fine
        ]
    )
    assert found == ["consultations.0013_email_intake: documentversion.intake_address"]


def test_no_migration_since_the_baseline_adds_a_column_the_running_release_cannot_fill():
    baseline = set(lint_migrations.BASELINE.read_text().split())
    reviewed = lint_migrations.reviewed_findings()
    new = [
        name
        for name in lint_migrations.migration_files()
        if name not in baseline and "NOT_NULL" not in reviewed.get(name, ())
    ]
    assert lint_migrations.columns_old_code_cannot_fill(new) == []
