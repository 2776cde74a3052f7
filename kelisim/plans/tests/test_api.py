import pytest
from django.test import override_settings

from kelisim.consultations.tests import factories as consultation_factories
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import services
from kelisim.plans.models import PlanVersion
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_versions_and_items_with_provenance(client):
    first = draft_with_items(items_per_strand=1)
    suggestion = consultation_factories.suggestion(consultation_factories.open_version())
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion])
    tracked = first.items.get(number="3.1.1").tracked
    services.incorporate_suggestion(
        actor=None, plan=first.plan, agenda_item=item, suggestion=suggestion, text_en="Into youth.", tracked=tracked
    )
    second = services.publish_version(actor=None, version=services.working_version(first.plan))
    meeting_services.save_minutes(actor=None, roundtable=meeting, markdown="Done.")
    meeting_services.close_roundtable(actor=None, roundtable=meeting)

    versions = client.get("/api/v1/plan/versions").json()
    assert [v["label"] for v in versions["items"]] == ["draft 2", "draft 1"]
    items = client.get(f"/api/v1/plan/versions/{second.number}/items").json()
    assert items["count"] == 3
    youth = next(row for row in items["items"] if row["id"] == tracked.code)
    assert youth["provenance"][0]["suggestion"] == suggestion.reference
    assert youth["provenance"][0]["roundtable_id"] == meeting.pk
    detail = client.get(f"/api/v1/plan/items/{tracked.code}").json()
    assert detail["versions"] == [second.number, first.number]
    assert detail["current"]["number"] == "3.1.1"
    assert detail["progress_source"] == youth["progress_source"] == "manual"


def test_an_item_that_follows_its_indicators_says_so(client):
    from kelisim.organisations.tests.factories import officer

    version = draft_with_items(items_per_strand=1)
    tracked = version.items.first().tracked
    services.set_progress_source(actor=officer(), tracked=tracked, source="indicators")
    assert client.get(f"/api/v1/plan/items/{tracked.code}").json()["progress_source"] == "indicators"
    items = client.get(f"/api/v1/plan/versions/{version.number}/items").json()["items"]
    assert {row["id"]: row["progress_source"] for row in items}[tracked.code] == "indicators"


def test_a_version_being_edited_is_not_in_the_api(client):
    first = draft_with_items(items_per_strand=1)
    working = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    assert client.get(f"/api/v1/plan/versions/{working.number}").status_code == 404
    assert client.get(f"/api/v1/plan/versions/{working.number}/items").status_code == 404
    assert client.get("/api/v1/plan/versions").json()["count"] == 1


@override_settings(PAGECACHE_ENABLED=False)  # measures the rendering, not the kept copy
def test_item_list_queries_do_not_grow(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kelisim.plans.tests.factories import add_items

    first = draft_with_items(items_per_strand=1)
    url = f"/api/v1/plan/versions/{first.number}/items?page_size=100"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    PlanVersion.objects.filter(pk=first.pk).update(state="working")
    add_items(first, 20)
    PlanVersion.objects.filter(pk=first.pk).update(state="published")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries) <= 15
