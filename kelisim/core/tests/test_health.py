from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def database_down():
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused"))


def test_healthz_is_liveness_only_and_answers_while_the_database_is_down(client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "release": ""}


def test_healthz_names_the_release_the_node_runs(client, settings):
    settings.RELEASE = "5cad8bd"
    response = client.get("/healthz")
    assert response.json()["release"] == "5cad8bd"
    assert response["X-Kelisim-Release"] == "5cad8bd"


def test_readyz_checks_each_part_and_reports_the_queue_lag(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failing"] == []
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queue": "ok",
    }


def test_readyz_names_the_database_when_it_is_down(client):
    with database_down():
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database"]
    assert body["checks"]["queue"]["status"] == "skipped"
    assert "refused" not in response.text  # the error's text is for the log, not the public


def test_readyz_names_the_cache_when_it_loses_values(client):
    with mock.patch("kelisim.core.health.cache") as forgetful:
        forgetful.get.return_value = None
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
