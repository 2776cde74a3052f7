"""What activities adds to other apps' pages: the organisation and contract panels and the plan trace step."""

import datetime

import pytest
from django.urls import reverse

from kelisim.activities import services
from kelisim.activities.tests.factories import (
    OrganisationFactory,
    officer,
    verified_report,
)

pytestmark = pytest.mark.django_db


def test_organisation_panel_shows_the_verified_record_with_small_counts_protected():
    from kelisim.core.registry import render_object_panels

    organisation = OrganisationFactory()
    assert render_object_panels(organisation) == []
    verified_report(organisation=organisation, start_date=datetime.date(2025, 3, 1))
    verified_report(
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
    verified_report(plan_item=indicator.item.tracked, title="Meeting for the trace")
    ((_template_name, context),) = [step for step in trace_steps([indicator.item.tracked]) if "activities" in step[0]]
    assert context["events"] == 1 and context["reports"][0].title == "Meeting for the trace"
    assert context["indicators"][0]["values"][0].actual == 1.0


def test_the_organisation_page_shows_its_verified_record(client):
    organisation = OrganisationFactory()
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Verified activities" not in page
    verified_report(organisation=organisation, start_date=datetime.date(2025, 3, 1))
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Verified activities" in page
