"""Issue 18, finding 8: `make run` serves as a server would (DEBUG off), with friendly pages and the CSP on
every answer; DEBUG=1 is a developer's opt-in."""

import json

import pytest
from django.test import Client

from kelisim.tests.test_deploy_settings import run_manage

SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({'debug': s.DEBUG, "
    "'hosts': s.ALLOWED_HOSTS, 'key': s.SECRET_KEY, 'ssl': getattr(s, 'SECURE_SSL_REDIRECT', False), "
    "'static': s.STORAGES['staticfiles']['BACKEND'], 'middleware': s.MIDDLEWARE}))"
)


def _local_settings(tmp_path, **environment) -> dict:
    environment = {"DEBUG": "", "SECRET_KEY": "", "KELISIM_ENV": "", **environment}
    result = run_manage("shell", "-c", SHOW_SETTINGS, KELISIM_VAR_DIR=str(tmp_path), **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_serves_with_debug_off_and_a_key_of_its_own(tmp_path):
    first = _local_settings(tmp_path)
    assert first["debug"] is False
    assert {"127.0.0.1", "localhost"} <= set(first["hosts"])
    assert first["ssl"] is False  # no HTTPS redirect on a laptop
    assert first["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in first["middleware"]
    # The key is random, kept in var/ (owner-only) and the same on the next start, so sessions survive.
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert len(first["key"]) >= 50 and "insecure" not in first["key"]
    assert _local_settings(tmp_path)["key"] == first["key"]


def test_debug_is_a_developers_opt_in(tmp_path):
    assert _local_settings(tmp_path, DEBUG="1")["debug"] is True


def test_csp_wraps_every_middleware_that_answers_on_its_own(settings):
    order = settings.MIDDLEWARE
    csp = order.index("csp.middleware.CSPMiddleware")
    assert csp == order.index("django.middleware.security.SecurityMiddleware") + 1
    for answering in (
        "kelisim.core.middleware.RequestSizeMiddleware",
        "kelisim.api.throttling.ApiThrottleMiddleware",
        "kelisim.core.middleware.UnstorableInputMiddleware",
        "kelisim.core.middleware.DatabaseOutageMiddleware",
    ):
        assert csp < order.index(answering), answering


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("ru", "Страница не найдена"), ("kk", "Бет табылмады")]
)
def test_a_missing_page_is_the_sites_own_page_with_the_csp(client, language, heading):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html and "URLconf" not in html and "urlpatterns" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_answers_given_before_the_views_carry_the_csp_too(client, settings):
    """413 (too large), 422 (unstorable) and the API's 429 are written by middleware; they have the CSP as well."""
    too_large = client.post("/kk/", "x" * 10, content_type="text/plain", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert too_large.status_code == 413
    assert "Content-Security-Policy" in too_large
    assert '<html lang="kk">' in too_large.content.decode()
    unstorable = client.get("/en/", {"q": "a\x00b"})
    assert unstorable.status_code == 422 and "Content-Security-Policy" in unstorable
    settings.API_THROTTLE_PER_ADDRESS = 1
    Client().get("/api/v1/regions")
    throttled = Client().get("/api/v1/regions")
    assert throttled.status_code == 429 and "Content-Security-Policy" in throttled
