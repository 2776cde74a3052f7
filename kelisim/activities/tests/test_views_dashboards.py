"""The results dashboards, their cache and exports (kelisim.activities.views.dashboards)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kelisim.activities import services
from kelisim.activities.models import ReportStatus
from kelisim.activities.tests.factories import (
    ReportFactory,
    officer,
    staff_officer,
    verified_report,
)
from kelisim.core.models import Region
from kelisim.core.tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_public_dashboard_hides_small_counts_and_protects_them_with_a_complement(client):
    verified_report(region=Region.objects.get(code="KZ-31"), female_14_18=20, male_14_18=0, female_30plus=0)
    verified_report(region=Region.objects.get(code="KZ-10"), female_14_18=3, male_14_18=0, female_30plus=0)
    verified_report(region=Region.objects.get(code="KZ-75"), female_14_18=9, male_14_18=0, female_30plus=0)
    page = client.get(reverse("activities:dashboard")).content.decode()
    assert "&lt;5" in page and "…" in page
    assert 'data-code="KZ-10"' in page  # the map draws Abai region (created in 2022)
    assert ">32<" in page  # the total stays published: two hidden cells, one of them at least 5
    client.force_login(staff_officer())
    page = client.get(reverse("activities:dashboard_internal")).content.decode()
    assert ">3<" in page


def test_dashboard_filters_live_in_the_url_and_exports_match(client):
    verified_report(start_date=datetime.date(2025, 5, 1))
    verified_report(start_date=datetime.date(2026, 5, 1))
    response = client.get(reverse("activities:dashboard"), {"by": "period", "period": "year", "year_from": 2026})
    assert response.context["table"].total_events == 1
    csv_text = client.get(
        reverse("activities:dashboard_export", args=["csv"]), {"by": "period", "period": "year"}
    ).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("period_code,Period,Events")
    assert csv_text.splitlines()[1].startswith("2025,2025,1,24")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("activities:dashboard_export", args=["xlsx"]), {"by": "strand"}).content)
    )
    assert [cell.value for cell in workbook.active[2]][:4] == ["youth", "Youth", 2, 48]
    by_region = client.get(reverse("activities:dashboard_export", args=["csv"]), {"by": "region"})
    assert by_region.content.decode("utf-8-sig").splitlines()[1].startswith("KZ-31,")


def test_dashboard_queries_do_not_grow_with_reports(client):
    verified_report()
    client.force_login(staff_officer())  # the internal view is never cached: every request computes
    assert_queries_do_not_grow(
        client,
        reverse("activities:dashboard_internal"),
        add_data=lambda: [verified_report(region=region) for region in Region.objects.all()[:6]],
        limit=20,
    )


def test_public_dashboard_is_cached_until_the_summaries_change(client, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    verified_report()
    assert client.get(reverse("activities:dashboard")).context["table"].total_events == 1
    report = ReportFactory(status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_report(actor=officer(), report=report, to=ReportStatus.VERIFIED)
    assert client.get(reverse("activities:dashboard")).context["table"].total_events == 2


def test_cached_public_dashboard_keeps_each_visitors_own_links(client):
    from django.core.cache import cache

    cache.clear()
    verified_report()
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
    verified_report()
    url = reverse("activities:dashboard")
    client.get(url, {"by": "strand", "period": "year"})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"period": "year", "utm_source": "newsletter", "by": "strand"}).content.decode()
    assert len(queries) == 0  # the same view, served from the cache
    results = page[page.index('<div id="dashboard-results">') :]
    assert "utm_source" not in results
    assert 'export.csv?by=strand&amp;period=year"' in results


def test_reports_export_streams_every_report_for_officers(client):
    for _ in range(3):
        ReportFactory()
    client.force_login(staff_officer())
    response = client.get(reverse("activities:reports_export"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[0].startswith("id,organisation_bin")
