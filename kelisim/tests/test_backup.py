"""A backup restored into a new database brings back every row of every table, and the uploaded files."""

import copy

import pytest
from django.db import connections

from kelisim.core.backup import BackupError, create_backup, database_fingerprints, read_manifest, restore_backup
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def restore_target(tmp_path):
    """A second, empty database of the same engine (a DATABASES entry), dropped afterwards."""
    source = connections["default"]
    target = copy.deepcopy(source.settings_dict)
    if source.vendor == "sqlite":
        target["NAME"] = str(tmp_path / "restored.sqlite3")
        yield target
        return
    target["NAME"] = f"{source.settings_dict['NAME']}_restore"[:63]
    with source.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
    yield target
    with source.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "funding" / "applications").mkdir(parents=True)
    (settings.MEDIA_ROOT / "funding" / "applications" / "budget.pdf").write_bytes(b"%PDF-1.4 budget\n")
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_has_the_same_rows_and_checksums_in_every_table(tmp_path, media, restore_target):
    for organisation in OrganisationFactory.create_batch(3):
        MembershipFactory(organisation=organisation)
    messages = []
    folder = create_backup(tmp_path / "backups", progress=messages.append)
    manifest = read_manifest(folder)
    assert manifest["tables"]["organisations_organisation"]["rows"] >= 3
    assert any("Backup written" in message for message in messages)

    restored_media = tmp_path / "restored-media"
    restore_backup(folder, database=restore_target, media_root=restored_media, progress=messages.append)

    restored = database_fingerprints(restore_target)
    assert {table: (f.rows, f.sha256) for table, f in restored.items()} == {
        table: (expected["rows"], expected["sha256"]) for table, expected in manifest["tables"].items()
    }
    assert restored["organisations_organisation"].rows == Organisation.objects.count()
    assert restored["organisations_membership"].rows == Membership.objects.count() == 3
    assert (restored_media / "funding" / "applications" / "budget.pdf").read_bytes() == b"%PDF-1.4 budget\n"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, media, restore_target):
    OrganisationFactory()
    folder = create_backup(tmp_path / "backups", progress=lambda message: None)
    database_file = next(path for path in folder.iterdir() if path.name.startswith("database."))
    database_file.write_bytes(database_file.read_bytes()[:-10] + b"0123456789")

    with pytest.raises(BackupError, match="checksum"):
        restore_backup(folder, database=restore_target, media_root=tmp_path / "restored", progress=lambda message: None)
    assert not (tmp_path / "restored").exists()
