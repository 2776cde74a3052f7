import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def run_manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "KELISIM_TESTING"}}
    env.update(environment)
    return subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KELISIM_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="kelisim.example.kz",
        KELISIM_OCID_PREFIX="ocds-abc123",
        KELISIM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_warns_about_an_unregistered_ocid_prefix(tmp_path):
    """The default prefix belongs to nobody: a production site is told to register its own."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        KELISIM_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="kelisim.example.kz",
        KELISIM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "funding.W002" in result.stdout + result.stderr and "OCDS helpdesk" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage("check", KELISIM_ENV="production", KELISIM_VAR_DIR=str(tmp_path), SECRET_KEY="")
    assert result.returncode != 0


@pytest.mark.django_db
def test_content_security_policy_allows_only_the_site_itself(client):
    response = client.get("/en/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "http" not in policy  # no other site is ever trusted


def test_a_hung_mail_server_cannot_hold_a_worker_for_ever():
    assert 0 < settings.EMAIL_TIMEOUT <= 60


def test_redis_url_works_in_a_virtual_environment_built_the_readme_way(tmp_path):
    """The `redis` package is a dependency, so setting REDIS_URL is enough (it was missing once)."""
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0 and not os.environ.get("CI"):
            pytest.skip("no Redis on 127.0.0.1:6379 (CI has one)")
    script = (
        "from django.core.cache import cache; cache.set('kelisim:probe', 41, 5); print(cache.get('kelisim:probe') + 1)"
    )
    result = run_manage("shell", "-c", script, REDIS_URL="redis://127.0.0.1:6379/15", KELISIM_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("42")


def test_the_systemd_units_restart_every_long_running_process_and_run_commands_that_exist():
    from configparser import ConfigParser

    from django.core.management import get_commands

    units = sorted((Path(settings.BASE_DIR) / "deploy" / "systemd").glob("*.service"))
    assert {unit.name for unit in units} >= {
        "kelisim-web.service",
        "kelisim-worker@.service",
        "kelisim-email-worker.service",
        "kelisim-scheduler.service",
    }
    for unit in units:
        parser = ConfigParser(interpolation=None, strict=False)
        parser.read(unit)
        service = parser["Service"]
        command = service["ExecStart"].split()
        if "manage.py" in command:
            assert command[command.index("manage.py") + 1] in get_commands(), unit.name
        if service.get("Type") != "oneshot":
            assert service["Restart"] == "always", unit.name


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [("", "filebased.FileBasedCache"), ("redis://127.0.0.1:6379/9", "redis.RedisCache")],
)
def test_sessions_are_cached_where_every_process_reads_them(tmp_path, redis_url, backend):
    # A cache of one process would keep a session that another process signed out.
    printed = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_ENGINE, s.CACHES[s.SESSION_CACHE_ALIAS]['BACKEND'])",
        KELISIM_VAR_DIR=str(tmp_path),
        REDIS_URL=redis_url,
    )
    assert printed.returncode == 0, printed.stderr
    engine, cache = printed.stdout.strip().splitlines()[-1].split()
    assert engine == "django.contrib.sessions.backends.cached_db" and cache == f"django.core.cache.backends.{backend}"
