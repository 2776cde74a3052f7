import pytest

from kelisim.consultations.models import Status
from kelisim.meetings.models import Decision, Roundtable
from kelisim.plans.models import PlanVersion, Provenance

pytestmark = pytest.mark.django_db


def test_the_demo_roundtable_and_plan_load_twice_without_duplicates():
    from kelisim.accounts import demo as accounts_demo
    from kelisim.consultations import demo as consultations_demo
    from kelisim.core import demo as core_demo
    from kelisim.meetings import demo as meetings_demo
    from kelisim.organisations import demo as organisations_demo
    from kelisim.plans import demo

    for loader in (core_demo, accounts_demo, organisations_demo, consultations_demo, meetings_demo, demo):
        loader.load()
    meetings_demo.load()
    demo.load()

    february = Roundtable.objects.get(title_en=meetings_demo.FEBRUARY_TITLES[2])
    assert february.status == Roundtable.Status.CLOSED
    assert february.attendance.count() >= 5
    assert set(Decision.objects.filter(roundtable=february).values_list("kind", flat=True)) == {
        "incorporate",
        "decline",
        "defer",
        "merge",
    }
    labels = [version.label for version in PlanVersion.objects.order_by("number")]
    assert labels == ["draft 1", "draft 2", "adopted"]
    assert Provenance.objects.count() == 4
    incorporated = Decision.objects.filter(kind="incorporate").select_related("suggestion")
    assert {decision.suggestion.status for decision in incorporated} <= {Status.ACCEPTED, Status.PARTLY_ACCEPTED}
    adopted = PlanVersion.objects.get(kind="adopted")
    assert adopted.items.values("objective__strand").distinct().count() == 3
    assert adopted.items.filter(tracked__updates__isnull=False).distinct().count() == 4
    upcoming = Roundtable.objects.get(title_en=meetings_demo.UPCOMING_TITLES[2])
    assert list(upcoming.registrations.values_list("status", flat=True)) == ["confirmed", "waiting"]
