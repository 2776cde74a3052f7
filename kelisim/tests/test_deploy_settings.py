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
        KELISIM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
