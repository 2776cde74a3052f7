import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory, make_token
from kelisim.funding import ocds
from kelisim.funding.models import Application, Call
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)[1]}"}


def _payload(call, organisation, **extra) -> dict:
    question = call.questions.get(kind="long_text")
    payload = {
        "organisation_id": organisation.pk,
        "title": "Peace lectures",
        "summary": "Twenty lectures in colleges.",
        "answers": {str(question.pk): "Through student councils."},
        "budget": [{"item": "Lecturers", "amount_kzt": 800000}, {"item": "Travel", "amount_kzt": 200000}],
    }
    payload.update(extra)
    return payload


def test_public_calls_and_contracts(client):
    contract = factories.signed_contract()
    calls = client.get("/api/v1/funding/calls").json()
    assert [c["reference"] for c in calls["items"]] == [contract.application.call.reference]
    detail = client.get(f"/api/v1/funding/calls/{contract.application.call.reference}").json()
    assert [c["weight"] for c in detail["criteria"]] == [60, 40]
    contracts = client.get("/api/v1/funding/contracts").json()
    assert contracts["items"][0]["number"] == contract.number
    assert contracts["items"][0]["milestones"] == 2
    assert client.get("/api/v1/funding/contracts/nope").status_code == 404


def test_ocds_endpoints_validate(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract()
    releases = json.loads(b"".join(client.get("/api/v1/funding/ocds/releases").streaming_content))
    assert ocds.validation_errors(releases, "release-package") == []
    record = client.get(f"/api/v1/funding/contracts/{contract.number}/ocds/record")
    assert ocds.validation_errors(json.loads(b"".join(record.streaming_content)), "record-package") == []


def _applying(call) -> tuple:
    """A verified organisation, the call's application address and a member's token headers."""
    organisation = factories.verified_organisation()
    return organisation, f"/api/v1/funding/calls/{call.reference}/applications", _auth(factories.member(organisation))


def test_ngo_system_saves_then_submits_with_a_token(client):
    call = factories.open_call()
    organisation, url, headers = _applying(call)
    created = client.post(url, _payload(call, organisation, summary=""), content_type="application/json", **headers)
    assert created.status_code == 201
    assert [p["field"] for p in created.json()["problems"]] == ["summary"]
    refused = client.post(
        url, _payload(call, organisation, summary="", submit=True), content_type="application/json", **headers
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "incomplete"
    submitted = client.post(url, _payload(call, organisation, submit=True), content_type="application/json", **headers)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    again = client.post(url, _payload(call, organisation), content_type="application/json", **headers)
    assert again.status_code == 409
    mine = client.get("/api/v1/funding/applications", **headers).json()
    assert [a["id"] for a in mine["items"]] == [Application.objects.get().pk]


def test_deadline_refusal_over_the_api(client):
    call = factories.open_call()
    organisation, url, headers = _applying(call)
    client.post(url, _payload(call, organisation), content_type="application/json", **headers)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    response = client.post(url, _payload(call, organisation, submit=True), content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "deadline"


def test_budget_lines_for_a_call_without_a_budget_table_are_refused_not_dropped(client):
    call = factories.open_call(budget=False)
    organisation, url, headers = _applying(call)
    response = client.post(url, _payload(call, organisation), content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "budget"]
    assert not Application.objects.exists()  # nothing half-saved
    accepted = client.post(url, _payload(call, organisation, budget=[]), content_type="application/json", **headers)
    assert accepted.status_code == 201


def test_non_members_cannot_apply_and_tokens_are_required(client):
    call = factories.open_call()
    organisation = factories.verified_organisation()
    url = f"/api/v1/funding/calls/{call.reference}/applications"
    assert client.post(url, _payload(call, organisation), content_type="application/json").status_code == 401
    response = client.post(url, _payload(call, organisation), content_type="application/json", **_auth(UserFactory()))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_other_organisations_applications_are_not_listed(client):
    application = factories.submitted_application()
    outsider = factories.member(factories.verified_organisation())
    assert client.get("/api/v1/funding/applications", **_auth(outsider)).json()["items"] == []
    assert client.get("/api/v1/funding/applications", **_auth(application.submitted_by)).json()["count"] == 1
