"""A write sent again with the same Idempotency-Key is answered with the first answer and writes nothing."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.models import IdempotentRequest
from kelisim.api.tests.helpers import bearer, make_token
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories

URL = "/api/v1/consultations/suggestions"
PAYLOAD = {"document": "draft", "text": "Open youth clubs in every district centre."}


def send(client, payload=PAYLOAD, key=None, **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(URL, payload, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_repeat_with_the_same_key_returns_the_first_answer_and_writes_nothing(client):
    factories.open_version()
    first = send(client, key="5b0e6c2e-0001")
    repeat = send(client, key="5b0e6c2e-0001")
    assert first.status_code == repeat.status_code == 201
    assert repeat.json() == first.json()
    assert repeat["Idempotent-Replayed"] == "true"
    assert Suggestion.objects.count() == 1
    # Another key is another request; no key at all keeps the old behaviour.
    assert send(client, key="5b0e6c2e-0002").status_code == 201
    assert Suggestion.objects.count() == 2


@pytest.mark.django_db
def test_keys_belong_to_their_sender(client):
    factories.open_version()
    citizen, other = UserFactory(), UserFactory()
    assert send(client, key="same", **bearer(make_token(citizen))).status_code == 201
    assert send(client, key="same", **bearer(make_token(other))).status_code == 201
    assert Suggestion.objects.count() == 2


@pytest.mark.django_db
def test_a_key_reused_for_another_request_is_refused(client):
    factories.open_version()
    assert send(client, key="k-1").status_code == 201
    response = send(client, {**PAYLOAD, "text": "Something else entirely, for another district."}, key="k-1")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Suggestion.objects.count() == 1


@pytest.mark.django_db
def test_a_refusal_is_replayed_too_and_a_bad_key_is_refused(client):
    factories.open_version()
    too_short = {**PAYLOAD, "text": "short"}
    assert send(client, too_short, key="k-2").status_code == 422
    assert send(client, too_short, key="k-2")["Idempotent-Replayed"] == "true"
    assert send(client, key="x" * 256).status_code == 422


@pytest.mark.django_db
def no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicated keys in the schema: {keys}"  # YAML readers refuse them
    return dict(pairs)


def test_the_openapi_schema_documents_the_header_on_every_write(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicate_keys)
    writes = [
        operation
        for methods in schema["paths"].values()
        for method, operation in methods.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes
    for operation in writes:
        assert "Idempotency-Key" in [parameter["name"] for parameter in operation.get("parameters", [])]
        assert "409" in operation["responses"]


@pytest.mark.django_db(transaction=True)
def test_three_requests_sent_at_once_with_one_key_write_one_row():
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (CI runs this on PostgreSQL)")
    factories.open_version()
    answers, start = [], threading.Barrier(3)

    def sender():
        start.wait()
        answers.append(send(Client(), key="at-once").status_code)
        connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Suggestion.objects.count() == 1
    assert answers.count(201) >= 1 and set(answers) <= {201, 409}
    assert IdempotentRequest.objects.get(key="at-once").completed
