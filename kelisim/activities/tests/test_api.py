import json

import pytest

from kelisim.activities import services
from kelisim.activities.models import ActivityReport, ReportStatus
from kelisim.activities.tests.factories import OrganisationFactory, ReportFactory, UserFactory, member_of, officer
from kelisim.api.tests.helpers import assert_error, bearer, make_token
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def _payload(organisation, **overrides):
    return {
        "organisation_id": organisation.pk,
        "activity_type": "online_campaign",
        "title": "Bloggers against hate",
        "start_date": "2026-03-01",
        "end_date": "2026-03-31",
        "region": "KZ-75",
        "venue_type": "online",
        "languages": ["kk", "ru"],
        "audiences": ["general_public"],
        "strand": "zero-tolerance",
        "attendance": {"female_19_29": 0},
        "online_posts": 40,
        "online_views": 120000,
        "online_shares": 900,
        "submit": True,
    } | overrides


def _post(client, token, payload):
    return client.post(
        "/api/v1/activities/reports", json.dumps(payload), content_type="application/json", **bearer(token)
    )


def test_a_member_files_and_reads_a_report_with_a_token(client):
    StrandFactory(code="zero-tolerance")
    organisation = OrganisationFactory()
    token = make_token(member_of(organisation))
    response = _post(client, token, _payload(organisation))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["online_views"], body["region"]) == ("submitted", 120000, "KZ-75")
    listed = client.get("/api/v1/activities/reports", **bearer(token)).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/activities/reports/{body['id']}", **bearer(token)).status_code == 200


def test_outsiders_cannot_file_or_read_an_organisations_reports(client):
    StrandFactory(code="zero-tolerance")
    organisation = OrganisationFactory()
    token = make_token(UserFactory())
    assert_error(_post(client, token, _payload(organisation)), 403, "forbidden")
    report = ReportFactory(organisation=organisation)
    assert_error(client.get(f"/api/v1/activities/reports/{report.pk}", **bearer(token)), 404, "not_found")
    assert client.get("/api/v1/activities/reports", **bearer(token)).json()["count"] == 0
    assert client.get("/api/v1/activities/reports").status_code == 401


def test_invalid_reports_answer_422_with_the_field(client):
    StrandFactory(code="zero-tolerance")
    organisation = OrganisationFactory()
    token = make_token(member_of(organisation))
    error = assert_error(_post(client, token, _payload(organisation, region="KZ-00")), 422, "invalid")
    assert error["details"][0]["loc"] == ["body", "region"]
    error = assert_error(_post(client, token, _payload(organisation, venue_type="school")), 422, "invalid")
    assert not ActivityReport.objects.exists()


def _put(client, token, report_id, payload):
    url = f"/api/v1/activities/reports/{report_id}"
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    return client.put(url, json.dumps(payload), content_type="application/json", **bearer(token), **english)


def test_a_report_links_lecturers_partners_and_its_contract_milestone_by_the_codes_of_the_import(client):
    from kelisim.funding.tests import factories as funding
    from kelisim.organisations.models import Expert

    StrandFactory(code="zero-tolerance")
    organisation = funding.verified_organisation()
    checker = funding.officer()  # the funding factories' accounts, as in the import's tests
    call = funding.open_call(actor=checker)
    contract = funding.signed_contract(actor=checker, call=call, organisation=organisation, milestones=2)
    foreign = funding.signed_contract(actor=checker, call=call, milestones=1)
    expert = Expert.objects.create(full_name="Aigerim Theologian", contact_email="aigerim@example.kz")
    partner = OrganisationFactory(bin="010140000014")
    token = make_token(funding.member(organisation))
    links = {"lecturers": [expert.pk], "partners": [partner.bin], "milestone": f"{contract.number}/2"}
    body = _post(client, token, _payload(organisation, **links)).json()
    assert (body["lecturers"], body["partners"], body["milestone"]) == ([expert.pk], [partner.bin], links["milestone"])

    wrong = {"lecturers": [999999], "partners": ["123"], "milestone": f"{foreign.number}/1"}
    response = client.post(
        "/api/v1/activities/reports",
        json.dumps(_payload(organisation, **wrong)),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(token),
    )
    error = assert_error(response, 422, "invalid")
    problems = {tuple(detail["loc"]): detail["message"] for detail in error["details"]}
    assert problems == {
        ("body", "lecturers"): "No expert on the roster has the ID 999999.",
        ("body", "partners"): "“123” is not a BIN (12 digits).",
        ("body", "milestone"): "This milestone belongs to another organisation's contract.",
    }
    assert ActivityReport.objects.count() == 1


def test_a_returned_report_is_corrected_and_submitted_again_through_the_api(client):
    StrandFactory(code="zero-tolerance")
    organisation = OrganisationFactory()
    token = make_token(member_of(organisation))
    body = _post(client, token, _payload(organisation)).json()
    report = ActivityReport.objects.get(pk=body["id"])
    services.transition_report(actor=officer(), report=report, to=ReportStatus.RETURNED, reason="Views look too high")
    corrected = _put(client, token, report.pk, _payload(organisation, online_views=12000))
    assert corrected.status_code == 200, corrected.content
    assert (corrected.json()["status"], corrected.json()["online_views"]) == ("submitted", 12000)

    # submitted again: no longer editable; another organisation's member cannot even see it
    error = assert_error(_put(client, token, report.pk, _payload(organisation, title="Later")), 422, "invalid")
    assert "draft or a returned report" in error["details"][0]["message"]
    assert_error(_put(client, make_token(UserFactory()), report.pk, _payload(organisation)), 404, "not_found")
    moved = _payload(OrganisationFactory(), submit=False)
    assert_error(_put(client, token, report.pk, moved), 422, "invalid")
    report.refresh_from_db()
    assert (report.title, report.online_views) == ("Bloggers against hate", 12000)


def test_public_summary_withholds_small_counts(client):
    checker = officer()
    for code, girls in (("KZ-31", 30), ("KZ-62", 2), ("KZ-10", 7)):
        report = ReportFactory(
            status=ReportStatus.SUBMITTED,
            region=Region.objects.get(code=code),
            female_14_18=girls,
            male_14_18=0,
            female_30plus=0,
        )
        services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    body = client.get("/api/v1/activities/summary", {"by": "region"}).json()
    shown = {row["key"]: row["participants"] for row in body["rows"]}
    assert shown == {"KZ-31": "30", "KZ-62": "<5", "KZ-10": "…"}
    assert body["total_participants"] == "39"


def test_the_description_limit_is_the_models_in_the_api(client):
    """Issue 18, finding 7: the same limit in the form, the API and the import (the model's)."""
    StrandFactory(code="zero-tolerance")
    organisation = OrganisationFactory()
    token = make_token(member_of(organisation))
    limit = ActivityReport._meta.get_field("description").max_length
    error = assert_error(_post(client, token, _payload(organisation, description="d" * (limit + 1))), 422, "invalid")
    assert error["details"][0]["loc"] == ["body", "payload", "description"] or "description" in str(error)
    assert not ActivityReport.objects.exists()
    assert _post(client, token, _payload(organisation, description="d" * limit)).status_code == 201
