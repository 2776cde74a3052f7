"""Officers' and the administrator's pages (kelisim.plans.views.editing)."""

import pytest
from django.urls import reverse

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import make_staff, sign_in
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import services
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_officer_incorporates_from_the_agenda_and_the_public_walks_the_trace(client):
    first = draft_with_items(items_per_strand=1)
    consultation = consultation_factories.open_version()
    suggestion = consultation_factories.suggestion(consultation, text="Teach media literacy in every college.")
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion])
    officer = make_staff()
    sign_in(client, officer)
    agenda = client.get(reverse("meetings:agenda", args=[meeting.pk])).text
    incorporate_url = reverse("plans:incorporate", args=[item.pk])
    assert incorporate_url in agenda
    objective = first.objectives.get(strand__code="zero-tolerance")
    response = client.post(
        incorporate_url,
        {
            "suggestion": suggestion.pk,
            "text_en": "Taken into the zero tolerance strand.",
            "acceptance": "accepted",
            "objective": objective.pk,
            "new_text_en": "Media literacy course in colleges",
            "responsible_body": "Ministry of Education",
        },
    )
    assert response.status_code == 302
    working = services.working_version(first.plan)
    new_item = working.items.get(text_en="Media literacy course in colleges")
    services.publish_version(actor=officer, version=working)
    meeting_services.save_minutes(actor=officer, roundtable=meeting, markdown="Agreed.")
    meeting_services.close_roundtable(actor=officer, roundtable=meeting)
    client.logout()

    trace = client.get(reverse("plans:trace_suggestion", args=[suggestion.reference])).text
    assert meeting.title.replace("'", "&#x27;") in trace
    assert reverse("plans:trace_item", args=[new_item.tracked.code]) in trace
    back = client.get(reverse("plans:trace_item", args=[new_item.tracked.code])).text
    assert reverse("plans:trace_suggestion", args=[suggestion.reference]) in back
    item_page = client.get(reverse("plans:item", args=[new_item.tracked.code])).text
    assert suggestion.reference in item_page and "Taken into the zero tolerance strand." in item_page


def test_incorporate_form_keeps_input_on_error(client):
    first = draft_with_items(items_per_strand=1)
    consultation = consultation_factories.open_version()
    suggestion = consultation_factories.suggestion(consultation)
    item = agenda_item(roundtable(), suggestions=[suggestion])
    sign_in(client, make_staff())
    response = client.post(
        reverse("plans:incorporate", args=[item.pk]),
        {
            "suggestion": suggestion.pk,
            "text_en": "Kept wording",
            "acceptance": "accepted",
            "new_text_en": "Half a new item",
        },
    )
    assert response.status_code == 200
    assert "Kept wording" in response.text and "Half a new item" in response.text
    assert "give the new item" in response.text
    assert first.plan.versions.count() == 1


def test_only_an_administrator_adopts_through_the_page(client):
    version = draft_with_items(items_per_strand=1)
    sign_in(client, make_staff(Role.OFFICER))
    assert client.post(reverse("plans:adopt"), {"adopted_on": "2017-03-01"}).status_code == 403
    sign_in(client, make_staff(Role.ADMINISTRATOR))
    response = client.post(reverse("plans:adopt"), {"adopted_on": "2017-03-01"})
    assert response.status_code == 302
    adopted = version.plan.versions.get(kind="adopted")
    assert str(adopted.adopted_on) == "2017-03-01"
