"""Backups an operator can trust: the database and the uploaded files, with a manifest that lets a restore
prove it brought back every row.

A backup is a folder ``kelisim-<UTC time>/`` holding

- ``database.sqlite3`` (SQLite's online backup API: consistent while the site keeps writing) or
  ``database.dump`` (PostgreSQL's ``pg_dump --format=custom``, one snapshot);
- ``media.tar.gz``, the uploaded files of the local file storage (an S3 bucket is backed up by its own
  versioning and replication, not here);
- ``manifest.json``: when, which engine, the applied migrations, each file's size and SHA-256, and each
  table's row count and checksum.

``restore`` checks every file against the manifest before it touches anything, restores the database and
the files, then recomputes the tables' counts and checksums and refuses to call the restore good unless
every table matches.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
FORMAT_VERSION = 1

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that must not be trusted; the message says why."""


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(database: dict) -> str:
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("sqlite3", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")
    return "sqlite" if engine == "sqlite3" else "postgresql"


def _postgres_connect(database: dict):
    import psycopg

    return psycopg.connect(
        dbname=database["NAME"],
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        autocommit=True,
    )


def sqlite_fingerprints(path: Path) -> dict[str, TableFingerprint]:
    """Each table's row count and a checksum of its rows (in no particular order), read from a SQLite file."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        fingerprints = {}
        for table in sorted(tables):
            rows = connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
            digests = sorted(hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest() for row in rows)
            fingerprints[table] = TableFingerprint(len(digests), hashlib.sha256("".join(digests).encode()).hexdigest())
        return fingerprints
    finally:
        connection.close()


def postgres_fingerprints(cursor) -> dict[str, TableFingerprint]:
    """The same for PostgreSQL, computed by the server from each row's text form, so no driver is involved."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    fingerprints = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '') FROM \"{table}\" t"  # noqa: S608
        )
        rows, digests = cursor.fetchone()
        fingerprints[table] = TableFingerprint(rows, hashlib.sha256(digests.encode()).hexdigest())
    return fingerprints


def database_fingerprints(database: dict) -> dict[str, TableFingerprint]:
    """The fingerprints of the database that ``database`` (a DATABASES entry) points at."""
    if _engine(database) == "sqlite":
        return sqlite_fingerprints(Path(database["NAME"]))
    with _postgres_connect(database) as connection, connection.cursor() as cursor:
        return postgres_fingerprints(cursor)


def _postgres_environment(database: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, with the password in the environment, not the command line."""
    arguments = []
    if database.get("HOST"):
        arguments += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        arguments += ["--port", str(database["PORT"])]
    if database.get("USER"):
        arguments += ["--username", str(database["USER"])]
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def _dump_sqlite(alias: str, folder: Path) -> tuple[Path, dict[str, TableFingerprint]]:
    """SQLite's online backup API copies a consistent image while others keep writing; the manifest describes
    that copy."""
    connection = connections[alias]
    connection.ensure_connection()
    target_path = folder / SQLITE_FILE
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return target_path, sqlite_fingerprints(target_path)


def _dump_postgres(database: dict, folder: Path) -> tuple[Path, dict[str, TableFingerprint]]:
    """pg_dump reads the snapshot the fingerprints were computed in, so the manifest describes the dump exactly."""
    arguments, environment = _postgres_environment(database)
    target_path = folder / POSTGRES_FILE
    with _postgres_connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        fingerprints = postgres_fingerprints(cursor)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", *arguments,
             "--file", str(target_path), str(database["NAME"])],
            environment,
        )  # fmt: skip
        cursor.execute("COMMIT")
    return target_path, fingerprints


def _archive_media(media_root: Path, folder: Path) -> Path:
    target_path = folder / MEDIA_FILE
    with tarfile.open(target_path, "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    return target_path


def create_backup(
    output_dir: Path, *, alias: str = "default", media_root: Path | None = None, progress: Progress = print
) -> Path:
    """Write a new backup folder under ``output_dir`` and return it."""
    database = connections[alias].settings_dict
    engine = _engine(database)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = Path(output_dir) / f"kelisim-{stamp}"
    folder.mkdir(parents=True)
    progress(f"Copying the {engine} database and checksumming its tables…")
    if engine == "sqlite":
        database_file, fingerprints = _dump_sqlite(alias, folder)
    else:
        database_file, fingerprints = _dump_postgres(database, folder)
    rows = sum(fingerprint.rows for fingerprint in fingerprints.values())
    progress(f"{rows} rows in {len(fingerprints)} tables. Archiving uploaded files from {media_root}…")
    media_file = _archive_media(media_root, folder)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "engine": engine,
        "files": {
            path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)} for path in (database_file, media_file)
        },
        "tables": {table: {"rows": f.rows, "sha256": f.sha256} for table, f in fingerprints.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    progress(f"Backup written to {folder}")
    return folder


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking that every file it lists is present and unchanged."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup.")
        if _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged.")
    return manifest


def _restore_database(folder: Path, manifest: dict, database: dict) -> None:
    if manifest["engine"] != _engine(database):
        raise BackupError(f"This is a {manifest['engine']} backup; the target database is {_engine(database)}.")
    if manifest["engine"] == "sqlite":
        target = Path(database["NAME"])
        partial = target.with_name(target.name + ".restoring")
        shutil.copyfile(folder / SQLITE_FILE, partial)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(partial, target)
        return
    arguments, environment = _postgres_environment(database)
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         *arguments, "--dbname", str(database["NAME"]), str(folder / POSTGRES_FILE)],
        environment,
    )  # fmt: skip


def _restore_media(folder: Path, media_root: Path) -> None:
    with tempfile.TemporaryDirectory(dir=media_root.parent if media_root.parent.exists() else None) as unpacked:
        with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(unpacked, filter="data")
        restored = Path(unpacked) / "media"
        if not restored.exists():
            return
        media_root.mkdir(parents=True, exist_ok=True)
        shutil.copytree(restored, media_root, dirs_exist_ok=True)


def compare_tables(manifest: dict, database: dict) -> list[str]:
    """Every table whose rows differ from the manifest's, in words; empty when the restore is complete."""
    found = database_fingerprints(database)
    problems = []
    for table, expected in sorted(manifest["tables"].items()):
        actual = found.get(table)
        if actual is None:
            problems.append(f"{table}: missing")
        elif actual.rows != expected["rows"]:
            problems.append(f"{table}: {actual.rows} rows, the backup has {expected['rows']}")
        elif actual.sha256 != expected["sha256"]:
            problems.append(f"{table}: same number of rows but different content")
    return problems


def restore_backup(
    folder: Path, *, database: dict | None = None, media_root: Path | None = None, progress: Progress = print
) -> None:
    """Restore ``folder`` into ``database`` (a DATABASES entry; the default one unless given) and the media
    folder, then prove that every table came back. Stop the site and its workers first."""
    folder = Path(folder)
    if database is None:
        connections["default"].close()
        database = settings.DATABASES["default"]
    progress(f"Checking {folder} against its manifest…")
    manifest = read_manifest(folder)
    progress(f"Restoring the {manifest['engine']} database…")
    _restore_database(folder, manifest, database)
    progress("Restoring uploaded files…")
    _restore_media(folder, Path(media_root or settings.MEDIA_ROOT))
    progress("Comparing every table with the manifest…")
    problems = compare_tables(manifest, database)
    if problems:
        raise BackupError("The restored database differs from the backup: " + "; ".join(problems))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    progress(f"Restored {rows} rows in {len(manifest['tables'])} tables.")
