"""/metrics (issue 12): only for the monitoring server; requests by view and status, latency and database
histograms, task queue depth and age, the outbox backlog, and timed cache calls."""

import os
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks import task

from kelisim.core.models import OutboxEmail

TOKEN = "metrics-token-for-the-test-0123456789"


@task()
def waiting_task() -> None:
    return None


def scrape(client, **headers):
    return client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}", **headers})


def value(body: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", body, re.MULTILINE)
    assert match, f"{sample} not in the metrics"
    return float(match.group(1))


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN, METRICS_ALLOWED_IPS=[])
def test_without_the_token_metrics_do_not_exist(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404
    with override_settings(METRICS_TOKEN=""):
        assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=["10.0.0.30", "192.168.5.0/24"])
def test_an_allowed_address_is_the_peer_never_a_forwarded_one(client):
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.30").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.5.77").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.31").status_code == 404
    forged = client.get("/metrics", REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": "10.0.0.30"})
    assert forged.status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN)
def test_requests_by_view_and_status_with_latency_and_database_timings(client):
    client.get(reverse("healthz"))
    client.get("/en/no-such-page-at-all/")
    answer = scrape(client)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")
    body = answer.content.decode()
    assert (
        value(body, 'django_http_responses_total_by_status_view_method_total{method="GET",status="200",view="healthz"}')
        >= 1
    )
    assert re.search(r'django_http_responses_total_by_status_view_method_total\{method="GET",status="404",', body)
    assert re.search(
        r'django_http_requests_latency_seconds_by_view_method_bucket\{le="0.1",method="GET",view="healthz"\}', body
    )
    assert re.search(r'kelisim_db_query_seconds_count\{alias="default",vendor="\w+"\} [1-9]', body)
    assert re.search(r'kelisim_db_query_seconds_bucket\{alias="default",le="0.005",vendor="\w+"\}', body)


@pytest.mark.django_db
@override_settings(METRICS_TOKEN=TOKEN, TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}})
def test_queue_depth_and_age_and_the_outbox_backlog(client):
    waiting_task.enqueue()
    waiting_task.enqueue()
    OutboxEmail.objects.create(to="a@example.kz", subject="s", body_text="t")
    OutboxEmail.objects.create(to="b@example.kz", subject="s", body_text="t", status=OutboxEmail.Status.FAILED)
    body = scrape(client).content.decode()
    assert value(body, 'kelisim_task_queue_depth{queue="default"}') == 2
    assert value(body, 'kelisim_task_queue_oldest_age_seconds{queue="default"}') >= 0
    assert value(body, "kelisim_tasks_running") == 0
    assert value(body, 'kelisim_outbox_messages{status="pending"}') == 1
    assert value(body, 'kelisim_outbox_messages{status="failed"}') == 1
    assert value(body, 'kelisim_outbox_messages{status="sent"}') == 0
    assert value(body, "kelisim_outbox_oldest_pending_age_seconds") >= 0


def test_cache_calls_to_redis_are_timed():
    import redis

    from kelisim.core.metrics import CACHE_SECONDS, TimedRedisCache

    url = os.environ.get("METRICS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not reachable on 127.0.0.1:6379 (CI runs this test)")
    cache = TimedRedisCache(url, {})
    before = CACHE_SECONDS.labels("get")._sum.get(), CACHE_SECONDS.labels("set")._sum.get()
    cache.set("kelisim-metrics-test", 1, 10)
    assert cache.get("kelisim-metrics-test") == 1
    cache.delete("kelisim-metrics-test")
    after = CACHE_SECONDS.labels("get")._sum.get(), CACHE_SECONDS.labels("set")._sum.get()
    assert after[0] > before[0] and after[1] > before[1]
