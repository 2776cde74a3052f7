import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.activities import selectors, services, summary
from kelisim.activities.models import ActivitySummary, AudienceSummary, ReportStatus, StatusChange
from kelisim.activities.tests.factories import OrganisationFactory, ReportFactory, UserFactory, member_of, officer
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "activity_type": "meeting",
        "title": "Meeting with students",
        "description": "",
        "start_date": datetime.date(2026, 2, 3),
        "end_date": datetime.date(2026, 2, 3),
        "region": Region.objects.get(code="KZ-10"),
        "venue_type": "university",
        "strand": StrandFactory(code="youth"),
        "audiences": "university_students,working_youth",
        "female_19_29": 7,
        "male_19_29": 3,
        "male_under14": 1,
    }
    return data | overrides


def test_member_creates_a_draft_with_computed_totals():
    organisation = OrganisationFactory()
    report = services.create_report(actor=member_of(organisation), organisation=organisation, data=_data())
    assert report.status == ReportStatus.DRAFT
    assert report.participants == 11
    assert report.youth_14_29 == 10


def test_outsider_cannot_report_for_an_organisation():
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.create_report(actor=UserFactory(), organisation=organisation, data=_data())
    with pytest.raises(PermissionDenied):
        services.create_report(actor=member_of(organisation, status="pending"), organisation=organisation, data=_data())


def test_end_before_start_is_refused():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        services.create_report(
            actor=member_of(organisation), organisation=organisation, data=_data(end_date=datetime.date(2026, 2, 1))
        )
    assert "end_date" in error.value.message_dict


def test_workflow_follows_the_transition_table_and_keeps_history():
    report = ReportFactory()
    member, checker = member_of(report.organisation), officer()
    services.transition_report(actor=member, report=report, to=ReportStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.transition_report(actor=member, report=report, to=ReportStatus.VERIFIED)
    with pytest.raises(ValidationError):
        services.transition_report(actor=checker, report=report, to=ReportStatus.RETURNED, reason="")
    services.transition_report(actor=checker, report=report, to=ReportStatus.RETURNED, reason="Add the dates")
    with pytest.raises(ValidationError):
        services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    services.transition_report(actor=member, report=report, to=ReportStatus.SUBMITTED)
    services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    steps = list(StatusChange.objects.filter(report=report).values_list("from_status", "to_status", "comment"))
    assert steps == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Add the dates"),
        ("returned", "submitted", ""),
        ("submitted", "verified", ""),
    ]
    assert report.history.first().history_change_reason == "submitted -> verified"


def test_only_drafts_and_returned_reports_are_editable():
    report = ReportFactory(status=ReportStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.update_report(actor=member_of(report.organisation), report=report, data={"title": "New"})


def test_verification_updates_summaries_and_returning_takes_the_report_out():
    report = ReportFactory(status=ReportStatus.SUBMITTED, audiences="school_students,inmates")
    checker = officer()
    services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    row = ActivitySummary.objects.get()
    assert (row.events, row.participants, row.youth_14_29, row.inmates) == (1, 24, 22, 24)
    assert AudienceSummary.objects.count() == 2
    assert selectors.verified_event_count() == 1
    services.transition_report(actor=checker, report=report, to=ReportStatus.RETURNED, reason="Wrong region")
    assert not ActivitySummary.objects.exists()
    assert not AudienceSummary.objects.exists()


def test_rebuild_equals_incremental():
    checker = officer()
    organisations = [OrganisationFactory(), OrganisationFactory()]
    regions = list(Region.objects.all()[:3])
    reports = []
    for index in range(12):
        reports.append(
            ReportFactory(
                status=ReportStatus.SUBMITTED,
                organisation=organisations[index % 2],
                region=regions[index % 3],
                start_date=datetime.date(2025 + index % 2, 1 + index % 12, 5),
                audiences=["inmates", "parents,general_public", ""][index % 3],
                male_30plus=index,
                online_views=index * 100,
            )
        )
    for report in reports[:10]:
        services.transition_report(actor=checker, report=report, to=ReportStatus.VERIFIED)
    services.transition_report(actor=checker, report=reports[3], to=ReportStatus.RETURNED, reason="Check")
    incremental = summary.snapshot()
    summary.rebuild()
    assert summary.snapshot() == incremental
    assert sum(row[6] for row in incremental["activity"]) == 9


def _indicator():
    from kelisim.plans.models import Indicator, IndicatorTarget
    from kelisim.plans.tests.factories import draft_with_items

    version = draft_with_items(items_per_strand=1)
    item = version.items.select_related("tracked").first()
    indicator = Indicator.objects.create(item=item, name_en="Young people reached", unit_en="people", baseline=0)
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=100)
    return indicator


def test_manual_indicator_value_needs_evidence_and_an_officer():
    indicator = _indicator()
    checker = officer()
    services.set_indicator_source(actor=checker, indicator=indicator, rule="manual")
    with pytest.raises(ValidationError):
        services.add_manual_value(actor=checker, indicator=indicator, year=2026, value=5)
    with pytest.raises(PermissionDenied):
        services.add_manual_value(
            actor=UserFactory(), indicator=indicator, year=2026, value=5, evidence_url="https://example.kz/a"
        )
    services.add_manual_value(actor=checker, indicator=indicator, year=2026, value=40, evidence_url="https://e.kz/a")
    services.add_manual_value(actor=checker, indicator=indicator, year=2026, value=2, evidence_url="https://e.kz/b")
    [value] = selectors.indicator_values(indicator)
    assert (value.year, value.actual, value.target) == (2026, 42.0, 100.0)


def test_computed_indicator_counts_verified_reports_of_its_plan_item():
    indicator = _indicator()
    checker = officer()
    services.set_indicator_source(actor=checker, indicator=indicator, rule="youth_14_29")
    tracked = indicator.item.tracked
    counted = ReportFactory(status=ReportStatus.SUBMITTED, plan_item=tracked)
    ReportFactory(status=ReportStatus.SUBMITTED, plan_item=tracked)  # submitted, never verified
    ReportFactory(status=ReportStatus.SUBMITTED)  # another item
    services.transition_report(actor=checker, report=counted, to=ReportStatus.VERIFIED)
    [value] = selectors.indicator_values(indicator)
    assert value.actual == counted.youth_14_29 == 22
