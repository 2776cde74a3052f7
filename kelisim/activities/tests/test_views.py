import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kelisim.activities import services
from kelisim.activities.importing import COLUMN_NAMES
from kelisim.activities.models import ATTENDANCE_FIELDS, ActivityReport, ReportImport, ReportStatus
from kelisim.activities.tests.factories import OrganisationFactory, ReportFactory, member_of, officer, staff_officer
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.core.tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def _verified(**kwargs):
    report = ReportFactory(status=ReportStatus.SUBMITTED, **kwargs)
    return services.transition_report(actor=officer(), report=report, to=ReportStatus.VERIFIED)


def test_public_dashboard_hides_small_counts_and_protects_them_with_a_complement(client):
    _verified(region=Region.objects.get(code="KZ-31"), female_14_18=20, male_14_18=0, female_30plus=0)
    _verified(region=Region.objects.get(code="KZ-10"), female_14_18=3, male_14_18=0, female_30plus=0)
    _verified(region=Region.objects.get(code="KZ-75"), female_14_18=9, male_14_18=0, female_30plus=0)
    page = client.get(reverse("activities:dashboard")).content.decode()
    assert "&lt;5" in page and "…" in page
    assert 'data-code="KZ-10"' in page  # the map draws Abai region (created in 2022)
    assert ">32<" in page  # the total stays published: two hidden cells, one of them at least 5
    client.force_login(staff_officer())
    page = client.get(reverse("activities:dashboard_internal")).content.decode()
    assert ">3<" in page


def test_dashboard_filters_live_in_the_url_and_exports_match(client):
    _verified(start_date=datetime.date(2025, 5, 1))
    _verified(start_date=datetime.date(2026, 5, 1))
    response = client.get(reverse("activities:dashboard"), {"by": "period", "period": "year", "year_from": 2026})
    assert response.context["table"].total_events == 1
    csv_text = client.get(
        reverse("activities:dashboard_export", args=["csv"]), {"by": "period", "period": "year"}
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("2025,1,24")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("activities:dashboard_export", args=["xlsx"]), {"by": "strand"}).content)
    )
    assert [cell.value for cell in workbook.active[2]][:3] == ["Youth", 2, 48]


def test_dashboard_queries_do_not_grow_with_reports(client):
    _verified()
    client.force_login(staff_officer())  # the internal view is never cached: every request computes
    assert_queries_do_not_grow(
        client,
        reverse("activities:dashboard_internal"),
        add_data=lambda: [_verified(region=region) for region in Region.objects.all()[:6]],
        limit=20,
    )


def test_public_dashboard_is_cached_until_the_summaries_change(client, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    _verified()
    assert client.get(reverse("activities:dashboard")).context["table"].total_events == 1
    report = ReportFactory(status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_report(actor=officer(), report=report, to=ReportStatus.VERIFIED)
    assert client.get(reverse("activities:dashboard")).context["table"].total_events == 2


def test_cached_public_dashboard_keeps_each_visitors_own_links(client):
    from django.core.cache import cache

    cache.clear()
    _verified()
    client.force_login(staff_officer())
    officer_page = client.get(reverse("activities:dashboard"), {"by": "strand"}).content.decode()
    assert reverse("activities:queue") in officer_page
    client.logout()
    visitor_page = client.get(reverse("activities:dashboard"), {"by": "strand"}).content.decode()
    assert reverse("activities:queue") not in visitor_page  # same cached figures, not the officer's links
    assert reverse("activities:my_reports") not in visitor_page
    assert '<option value="strand" selected>' in visitor_page  # the cached form still shows the chosen view
    russian = client.get(reverse("activities:dashboard").replace("/en/", "/ru/", 1), {"by": "strand"}).content.decode()
    assert "Всего" in russian and "In total" not in russian  # each language has its own cached copy


def test_other_parameters_share_the_cached_view_and_stay_out_of_its_links(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    _verified()
    url = reverse("activities:dashboard")
    client.get(url, {"by": "strand", "period": "year"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"period": "year", "utm_source": "newsletter", "by": "strand"}).content.decode()
    assert len(queries) == 0  # the same view, served from the cache
    results = page[page.index('<div id="dashboard-results">') :]
    assert "utm_source" not in results
    assert 'export.csv?by=strand&amp;period=year"' in results


def test_member_creates_and_submits_a_report_through_the_form(client):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    data = {
        "activity_type": "meeting",
        "title": "Meeting in a college",
        "start_date": "2026-02-10",
        "end_date": "2026-02-09",
        "region": Region.objects.get(code="KZ-33").pk,
        "venue_type": "college",
        "strand": strand.pk,
        "audience_list": ["working_youth"],
        "languages": ["kk"],
        "female_19_29": "6",
        "male_19_29": "5",
        "submit": "1",
    }
    for name in ("female_under14", "female_14_18", "female_30plus", "male_under14", "male_14_18", "male_30plus"):
        data[name] = "0"
    for name in ("online_posts", "online_views", "online_shares"):
        data[name] = "0"
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert 'value="Meeting in a college"' in response.content.decode()  # nothing typed is lost
    data["end_date"] = "2026-02-10"
    response = client.post(reverse("activities:report_create", args=[organisation.pk]), data)
    report = ActivityReport.objects.get()
    assert response.url == reverse("activities:report", args=[report.pk])
    assert (report.status, report.participants, report.audiences) == ("submitted", 11, "working_youth")


def test_the_form_names_partners_by_bin_and_offers_only_listed_experts(client):
    from kelisim.organisations.models import Expert

    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    listed = Expert.objects.create(full_name="Aigerim Listed", contact_email="a@example.kz")
    unlisted = Expert.objects.create(full_name="Bolat Private", contact_email="b@example.kz", is_listed=False)
    partner = OrganisationFactory(bin="010140000014")
    url = reverse("activities:report_create", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert "Aigerim Listed" in page and "Bolat Private" not in page
    data = {
        "activity_type": "lecture",
        "title": "Lecture with partners",
        "start_date": "2026-02-10",
        "end_date": "2026-02-10",
        "region": Region.objects.get(code="KZ-31").pk,
        "venue_type": "school",
        "strand": strand.pk,
        "lecturers": [listed.pk],
        "partners": "010140000014; 99",
    }
    for name in (*ATTENDANCE_FIELDS, "online_posts", "online_views", "online_shares"):
        data[name] = "0"
    refused = client.post(url, data).content.decode()
    assert "“99” is not a BIN (12 digits)." in refused and 'value="010140000014; 99"' in refused
    assert client.post(url, {**data, "lecturers": [unlisted.pk], "partners": ""}).status_code == 200  # not a choice
    saved = client.post(url, {**data, "partners": "010140000014"})
    assert saved.status_code == 302, saved.context["form"].errors
    report = ActivityReport.objects.get()
    assert list(report.partners.all()) == [partner] and list(report.lecturers.all()) == [listed]
    edit = client.get(reverse("activities:report_edit", args=[report.pk])).content.decode()
    assert 'value="010140000014"' in edit


def test_report_page_hides_names_fields_and_small_cells_from_the_public(client):
    report = _verified(female_14_18=3, male_14_18=12, female_30plus=0)
    page = client.get(reverse("activities:report", args=[report.pk])).content.decode()
    assert "&lt;5" in page and ">3<" not in page
    draft = ReportFactory()
    assert client.get(reverse("activities:report", args=[draft.pk])).status_code == 404


def test_officer_verifies_from_the_queue(client):
    reports = [ReportFactory(status=ReportStatus.SUBMITTED) for _ in range(3)]
    client.force_login(staff_officer())
    client.post(reverse("activities:queue"), {"report": [reports[0].pk, reports[1].pk]})
    assert sorted(ActivityReport.objects.values_list("status", flat=True)) == ["submitted", "verified", "verified"]


def _workbook(rows) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(COLUMN_NAMES)
    for row in rows:
        workbook.active.append([row.get(name, "") for name in COLUMN_NAMES])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "reports.xlsx"
    return buffer


def _row(**overrides):
    return {
        "activity_type": "lecture",
        "title": "Lecture",
        "start_date": "2026-01-15",
        "region": "KZ-62",
        "venue_type": "school",
        "strand": "youth",
        "audiences": "school_students",
        "female_14_18": 10,
        "male_14_18": 8,
    } | overrides


def test_import_with_errors_imports_nothing_and_names_row_and_column(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    rows = [_row(), _row(region="KZ-99"), _row(), _row(male_14_18="many", start_date="31/31/2026")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": _workbook(rows)})
    job = ReportImport.objects.get()
    assert response.url == reverse("activities:import_detail", args=[job.pk])
    assert job.status == "rejected" and not ActivityReport.objects.exists()
    assert {(error["row"], error["column"]) for error in job.errors} == {
        (3, "F region"),
        (5, "D start_date"),
        (5, "R male_14_18"),
    }
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page and "F region" in page


def test_import_of_150_rows_submits_them_all(client, django_capture_on_commit_callbacks):
    StrandFactory(code="youth")
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    rows = [_row(title=f"Meeting {n}", start_date=f"2026-{1 + n % 12:02d}-0{1 + n % 9}") for n in range(150)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("activities:import_upload", args=[organisation.pk]), {"source": _workbook(rows)})
    job = ReportImport.objects.get()
    assert (job.status, job.created_count) == ("done", 150)
    assert ActivityReport.objects.filter(status="submitted", organisation=organisation).count() == 150
    assert ActivityReport.history.filter(history_change_reason__startswith="imported").count() == 150


def test_template_lists_every_column_and_the_codes(client):
    StrandFactory(code="youth")
    client.force_login(member_of(OrganisationFactory()))
    workbook = load_workbook(io.BytesIO(client.get(reverse("activities:import_template")).content))
    assert [cell.value for cell in workbook["reports"][1]] == COLUMN_NAMES
    codes = {(row[0], row[1]) for row in workbook["codes"].iter_rows(values_only=True)}
    assert ("region", "KZ-62") in codes and ("strand", "youth") in codes


def test_reports_export_streams_every_report_for_officers(client):
    for _ in range(3):
        ReportFactory()
    client.force_login(staff_officer())
    response = client.get(reverse("activities:reports_export"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].startswith("id,organisation_bin")


def test_organisation_panel_shows_the_verified_record_with_small_counts_protected():
    from kelisim.core.registry import render_object_panels

    organisation = OrganisationFactory()
    assert render_object_panels(organisation) == []
    _verified(organisation=organisation, start_date=datetime.date(2025, 3, 1))
    _verified(
        organisation=organisation, start_date=datetime.date(2026, 3, 1), female_14_18=2, male_14_18=1, female_30plus=0
    )
    (panel,) = render_object_panels(organisation)
    # 2026 had 3 people: hidden; 2025 (24) is hidden too, or the total (27) would reveal the 3
    assert "Verified activities" in panel and "&lt;5" in panel and "…" in panel and ">27<" in panel


def test_plan_item_trace_step_lists_activities_and_indicator_values():
    from kelisim.activities.tests.test_services import _indicator
    from kelisim.plans.trace import trace_steps

    indicator = _indicator()
    services.set_indicator_source(actor=officer(), indicator=indicator, rule="events")
    _verified(plan_item=indicator.item.tracked, title="Meeting for the trace")
    ((_template_name, context),) = [step for step in trace_steps([indicator.item.tracked]) if "activities" in step[0]]
    assert context["events"] == 1 and context["reports"][0].title == "Meeting for the trace"
    assert context["indicators"][0]["values"][0].actual == 1.0


def test_the_organisation_page_shows_its_verified_record(client):
    organisation = OrganisationFactory()
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Verified activities" not in page
    _verified(organisation=organisation, start_date=datetime.date(2025, 3, 1))
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Verified activities" in page


def test_indicators_page_charts_targets_against_what_was_reached(client):
    from kelisim.activities.tests.test_services import _indicator

    indicator = _indicator()  # a target of 100 for 2026
    checker = officer()
    services.set_indicator_source(actor=checker, indicator=indicator, rule="manual")
    services.add_manual_value(actor=checker, indicator=indicator, year=2026, value=42, evidence_url="https://e.kz/a")
    page = client.get(reverse("activities:indicators")).content.decode()
    chart = page[page.index('<svg class="chart target-chart"') : page.index("</svg>")]
    assert f"{indicator.name}: target and reached by year" in chart
    assert "42 of 100 (42%)" in chart
    assert "<title>Target: 100</title>" in chart and "<title>Reached: 42</title>" in chart
    assert "<td class=\"num\">42</td>" in page  # the table beneath keeps the figures for screen readers
