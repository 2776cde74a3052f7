"""Issue 18, finding 10: dependencies installed from a hashed lock, which matches pyproject.toml; `make audit` says
clearly whether it audited anything."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCK = ROOT / "requirements" / "lock.txt"


def _requirements(text: str) -> list[str]:
    """One entry per requirement (a line and its backslash continuations)."""
    return [entry for entry in text.replace("\\\n", " ").splitlines() if entry and not entry.startswith((" ", "#"))]


def test_every_locked_package_is_pinned_with_hashes():
    entries = _requirements(LOCK.read_text())
    assert len(entries) > 50
    for entry in entries:
        assert re.match(r"^[A-Za-z0-9._-]+==[^\s;]+", entry), entry
        assert "--hash=sha256:" in entry, entry


def test_the_lock_matches_pyproject():
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "requirements" / "check_lock.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_to_pyproject_without_the_lock_is_named_with_the_fix(tmp_path):
    (tmp_path / "requirements").mkdir()
    for name in ("check_lock.py", "lock.txt", "build.in"):
        shutil.copy(ROOT / "requirements" / name, tmp_path / "requirements" / name)
    pyproject = (
        (ROOT / "pyproject.toml").read_text().replace('"Django==', '"left-pad-for-python==1.0",\n    "Django==', 1)
    )
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(tmp_path / "requirements" / "check_lock.py")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "left-pad-for-python is in pyproject.toml but not in the lock" in result.stderr
    assert "make lock" in result.stderr


def test_make_installs_only_the_hashed_lock():
    result = subprocess.run(
        ["make", "-n", "-B", ".venv/.installed"],  # noqa: S607 - make from PATH, as a developer runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    commands = result.stdout
    assert "pip install --quiet --require-hashes -r requirements/lock.txt" in commands
    assert "--no-deps" in commands and '-e ".[dev]"' not in commands


def _fake_pip_audit(tmp_path, output: str, code: int) -> list[str]:
    """A python beside a stand-in pip-audit, so that requirements/audit.py runs it without any network."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    fake = bin_dir / "pip-audit"
    fake.write_text(f"#!/bin/sh\ncat <<'OUT'\n{output}\nOUT\nexit {code}\n")
    fake.chmod(0o755)
    return [str(bin_dir / "python"), str(ROOT / "requirements" / "audit.py"), str(LOCK)]


def test_audit_without_the_database_says_not_audited_and_passes(tmp_path):
    command = _fake_pip_audit(
        tmp_path,
        "requests.exceptions.ConnectionError: HTTPSConnectionPool: Max retries exceeded (NameResolutionError)",
        1,
    )
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=dict(os.environ))  # noqa: S603
    assert result.returncode == 0
    assert "NOT AUDITED: the vulnerability database could not be reached" in result.stderr


def test_audit_that_the_database_answered_for_no_package_is_not_called_clean(tmp_path):
    skipped = [{"name": name, "skip_reason": "Dependency not found on PyPI and could not be audited"} for name in "ab"]
    command = _fake_pip_audit(tmp_path, json.dumps({"dependencies": skipped}), 0)
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0
    assert "NOT AUDITED" in result.stderr and "AUDITED: no known" not in result.stdout


def test_audit_fails_on_a_known_vulnerability(tmp_path):
    dependencies = [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.1"]}]},
        {"name": "nh3", "version": "0.3.7", "vulns": []},
    ]
    command = _fake_pip_audit(tmp_path, json.dumps({"dependencies": dependencies}), 1)
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2099-1 (fixed in 5.2.1)" in result.stdout


def test_a_clean_audit_says_how_many_packages_it_checked(tmp_path):
    dependencies = [{"name": "nh3", "version": "0.3.7", "vulns": []}]
    command = _fake_pip_audit(tmp_path, json.dumps({"dependencies": dependencies}), 0)
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0
    assert "AUDITED: no known vulnerability in the 1 packages checked" in result.stdout
