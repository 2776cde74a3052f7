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
        services.transition(actor=checker, report=report, to_status=ReportStatus.VERIFIED)
    body = client.get("/api/v1/activities/summary", {"by": "region"}).json()
    shown = {row["key"]: row["participants"] for row in body["rows"]}
    assert shown == {"KZ-31": "30", "KZ-62": "<5", "KZ-10": "…"}
    assert body["total_participants"] == "39"
