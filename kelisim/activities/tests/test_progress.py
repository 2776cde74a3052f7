"""Plan items whose progress follows their indicators, fed by activities (kelisim.activities.progress):
recomputed when a report is verified or reopened, when a manual value or a rule is entered, and by the
summary rebuild, which agrees with the incremental figures."""

import pytest
from django.utils import timezone

from kelisim.activities import services, summary
from kelisim.activities.models import PlanItemSummary, ReportStatus
from kelisim.activities.tests.factories import ReportFactory, officer
from kelisim.plans import services as plan_services
from kelisim.plans.models import Indicator, IndicatorTarget, ProgressSource, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    """A published plan item following two indicators with targets for this year: events held (target 4)
    and young people reached, entered by hand (target 100)."""
    from kelisim.plans.tests.factories import draft_with_items

    year = timezone.localdate().year
    checker = officer()
    plan_item = draft_with_items(items_per_strand=1).items.select_related("tracked").first()
    events = Indicator.objects.create(item=plan_item, name_en="Events held", unit_en="events", baseline=2)
    IndicatorTarget.objects.create(indicator=events, year=year, value=4)
    youth = Indicator.objects.create(item=plan_item, name_en="Young people reached", unit_en="people", position=2)
    IndicatorTarget.objects.create(indicator=youth, year=year, value=100)
    services.set_indicator_source(actor=checker, indicator=events, rule="events")
    services.set_indicator_source(actor=checker, indicator=youth, rule="manual")
    plan_services.set_progress_source(actor=checker, tracked=plan_item.tracked, source=ProgressSource.INDICATORS)
    return {"tracked": plan_item.tracked, "events": events, "youth": youth, "officer": checker, "year": year}


def _progress(tracked) -> int:
    tracked.refresh_from_db()
    return tracked.progress


def _report(item, **fields):
    start = timezone.localdate().replace(month=3, day=12)
    return ReportFactory(
        status=ReportStatus.SUBMITTED, plan_item=item["tracked"], start_date=start, end_date=start, **fields
    )


def test_verifying_and_reopening_a_report_moves_the_progress(item):
    tracked, checker = item["tracked"], item["officer"]
    assert _progress(tracked) == 0
    report = _report(item)
    services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    assert _progress(tracked) == 13  # (25 % + 0 %) / 2, half up: 1 of 4 events, no young people entered yet
    latest = tracked.updates.first()
    assert (latest.source, latest.author) == (ProgressSource.INDICATORS, checker)
    assert "Events held: 1 of 4 (25 %)" in latest.text
    services.transition_report(actor=checker, report=report, to=ReportStatus.RETURNED, reason="Wrong date.")
    assert _progress(tracked) == 0


def test_verifying_a_queue_recomputes_each_item_once(item):
    tracked, checker = item["tracked"], item["officer"]
    reports = [_report(item) for _ in range(3)]
    before = ProgressUpdate.objects.filter(tracked=tracked).count()
    assert services.verify_many(actor=checker, reports=reports) == 3
    assert _progress(tracked) == 38  # (75 % + 0 %) / 2, half up
    assert ProgressUpdate.objects.filter(tracked=tracked).count() == before + 1


def test_a_manual_value_moves_the_progress(item):
    tracked, checker = item["tracked"], item["officer"]
    services.add_manual_value(
        actor=checker, indicator=item["youth"], year=item["year"], value=60, evidence_url="https://e.kz/survey"
    )
    assert _progress(tracked) == 30
    services.add_manual_value(
        actor=checker, indicator=item["youth"], year=item["year"], value=70, evidence_url="https://e.kz/second"
    )
    assert _progress(tracked) == 50  # 0 % and 130 of 100 counts as 100 %


def test_an_item_with_manual_progress_is_left_alone(item):
    tracked, checker = item["tracked"], item["officer"]
    plan_services.set_progress_source(actor=checker, tracked=tracked, source=ProgressSource.MANUAL)
    plan_services.record_progress(actor=checker, tracked=tracked, status="in_progress", progress=35, note="Typed.")
    services.transition_report(actor=checker, report=_report(item), to=ReportStatus.VERIFIED)
    assert _progress(tracked) == 35


def test_the_summary_rebuild_agrees_with_the_incremental_progress(item):
    tracked, checker = item["tracked"], item["officer"]
    for _ in range(2):
        services.transition_report(actor=checker, report=_report(item), to=ReportStatus.VERIFIED)
    services.add_manual_value(
        actor=checker, indicator=item["youth"], year=item["year"], value=40, evidence_url="https://e.kz/a"
    )
    incremental = _progress(tracked)
    assert incremental == 45  # (50 % + 40 %) / 2
    updates = ProgressUpdate.objects.filter(tracked=tracked).count()
    summary.rebuild()
    assert _progress(tracked) == incremental
    assert ProgressUpdate.objects.filter(tracked=tracked).count() == updates  # nothing changed, nothing said

    # The figure is read from the summary tables: lose them and the rebuild brings the same figure back.
    PlanItemSummary.objects.all().delete()
    plan_services.refresh_indicator_progress()
    assert _progress(tracked) == 20
    summary.rebuild()
    assert _progress(tracked) == incremental
