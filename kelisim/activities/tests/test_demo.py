import pytest

from kelisim.activities.models import ActivityReport, ActivitySummary, IndicatorSource
from kelisim.activities.selectors import DashboardFilters, dashboard_table

pytestmark = pytest.mark.django_db


def test_the_demo_loads_two_years_of_reports_once():
    from kelisim.accounts import demo as accounts_demo
    from kelisim.activities import demo
    from kelisim.consultations import demo as consultations_demo
    from kelisim.core import demo as core_demo
    from kelisim.funding import demo as funding_demo
    from kelisim.meetings import demo as meetings_demo
    from kelisim.organisations import demo as organisations_demo
    from kelisim.plans import demo as plans_demo

    for loader in (
        core_demo,
        accounts_demo,
        organisations_demo,
        consultations_demo,
        meetings_demo,
        plans_demo,
        funding_demo,
        demo,
    ):
        loader.load()
    count = ActivityReport.objects.count()
    demo.load()
    assert ActivityReport.objects.count() == count

    meetings = ActivityReport.objects.filter(organisation__name_en=demo.YOUTH_MOVEMENT, start_date__year=2017)
    assert meetings.count() > 150
    assert ActivityReport.objects.filter(activity_type="prison_session", audiences="inmates").exists()
    assert ActivityReport.objects.filter(activity_type="online_campaign", online_views__gt=0).exists()
    assert ActivityReport.objects.filter(milestone__isnull=False).exists()
    assert IndicatorSource.objects.filter(rule="events").exists()
    table = dashboard_table(DashboardFilters(by="region"), public=True)
    assert len(table.rows) >= 10
    assert table.total_events == sum(ActivitySummary.objects.values_list("events", flat=True))
    from kelisim.plans.models import TrackedItem

    following = TrackedItem.objects.get(progress_source="indicators")
    assert following.progress > 0 and following.status == "completed"
    assert following.updates.filter(source="indicators").exists()
