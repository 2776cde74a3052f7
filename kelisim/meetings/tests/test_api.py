import pytest

from kelisim.consultations.tests import factories as consultation_factories
from kelisim.meetings import services
from kelisim.meetings.tests.factories import agenda_item, member, roundtable

pytestmark = pytest.mark.django_db


def test_roundtables_are_listed_in_the_page_envelope(client):
    roundtable(title="First")
    body = client.get("/api/v1/roundtables").json()
    assert body["count"] == 1 and body["items"][0]["title"] == "First"
    assert "registrations" not in body["items"][0]


def test_decisions_and_minutes_appear_only_after_the_close(client):
    version = consultation_factories.open_version()
    suggestion = consultation_factories.suggestion(version)
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion], plan_item_codes="AP-0001")
    services.record_decision(actor=None, agenda_item=item, kind="defer", text_en="Later.", suggestion=suggestion)
    services.record_attendance(actor=None, roundtable=meeting, counts={member()[1]: 3})
    services.save_minutes(actor=None, roundtable=meeting, markdown="Private draft")
    before = client.get(f"/api/v1/roundtables/{meeting.pk}").json()
    assert before["decisions"] == [] and before["minutes_html"] == ""
    assert before["agenda"][0]["suggestions"] == [suggestion.reference]
    assert before["agenda"][0]["plan_items"] == ["AP-0001"]
    assert before["attendance"][0]["people"] == 3
    services.close_roundtable(actor=None, roundtable=meeting)
    after = client.get(f"/api/v1/roundtables/{meeting.pk}").json()
    assert after["decisions"][0]["kind"] == "defer" and after["decisions"][0]["suggestion"] == suggestion.reference


def test_unknown_roundtable_is_a_404_in_the_error_format(client):
    response = client.get("/api/v1/roundtables/999")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
