"""Where a suggestion went: the suggestion panel and the trace pages (kelisim.plans.views.traces)."""

import pytest
from django.urls import reverse

from kelisim.consultations.tests import factories as consultation_factories
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import services
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_the_suggestion_panel_lists_the_items_it_went_into():
    from kelisim.core.registry import render_object_panels

    first = draft_with_items(items_per_strand=1)
    suggestion = consultation_factories.suggestion(consultation_factories.open_version())
    assert render_object_panels(suggestion) == []
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion])
    tracked = first.items.first().tracked
    services.incorporate_suggestion(
        actor=None, plan=first.plan, agenda_item=item, suggestion=suggestion, text_en="Yes.", tracked=tracked
    )
    meeting_services.save_minutes(actor=None, roundtable=meeting, markdown="Done.")
    meeting_services.close_roundtable(actor=None, roundtable=meeting)
    (panel,) = render_object_panels(suggestion)
    assert tracked.code in panel and reverse("plans:trace_suggestion", args=[suggestion.reference]) in panel
