"""The public indicator page (kelisim.activities.views.indicators)."""

import pytest
from django.urls import reverse

from kelisim.activities import services
from kelisim.activities.tests.factories import (
    officer,
)

pytestmark = pytest.mark.django_db


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
    assert '<td class="num">42</td>' in page  # the table beneath keeps the figures for screen readers
