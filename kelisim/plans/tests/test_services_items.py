"""A working copy's items and roundtable decisions (kelisim.plans.services.items)."""

import pytest

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations.models import Status
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import selectors, services
from kelisim.plans.models import PlanVersion, Provenance, TrackedItem
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_item_ids_are_stable_and_numbers_follow_strand_objective_measure():
    first = draft_with_items(items_per_strand=2)
    numbers = list(first.items.order_by("number").values_list("number", flat=True))
    assert numbers == ["1.1.1", "1.1.2", "2.1.1", "2.1.2", "3.1.1", "3.1.2"]
    second = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    removed = second.items.get(number="1.1.1")
    removed_code = removed.tracked.code
    services.remove_item(actor=None, item=removed)
    assert second.items.get(tracked__code=first.items.get(number="1.1.2").tracked.code).number == "1.1.1"
    assert TrackedItem.objects.filter(code=removed_code).exists()  # it was published: its ID stays


def test_incorporating_a_suggestion_records_provenance_and_answers_the_author_at_the_close():
    first = draft_with_items(items_per_strand=1)
    version = consultation_factories.open_version()
    author = UserFactory()
    suggestion = consultation_factories.suggestion(
        version, text="Train imams to talk with young people online.", author=author
    )
    other = consultation_factories.suggestion(version, text="Add psychologists to prison visits every month.")
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion, other])
    officer = make_staff()
    objective = first.objectives.get(strand__code="youth")
    decision = services.incorporate_suggestion(
        actor=officer,
        plan=first.plan,
        agenda_item=item,
        suggestion=suggestion,
        text="Into the youth strand.",
        new_item={"objective": objective, "text_en": "Online school for imams", "responsible_body": "Muftiate"},
    )
    working = services.working_version(first.plan)
    assert working.label == "draft 2"
    new_item = working.items.get(tracked__code=decision.plan_item_code)
    assert decision.plan_item_label == f"item 3.1.2 ({new_item.tracked.code})"
    existing = working.items.get(number="2.1.1")
    services.incorporate_suggestion(
        actor=officer,
        plan=first.plan,
        agenda_item=item,
        suggestion=other,
        text="Partly, into prisons.",
        acceptance="partly_accepted",
        tracked=existing.tracked,
    )
    assert Provenance.objects.count() == 2
    # Nothing public before the close.
    assert selectors.provenance_for_suggestion(suggestion) == []
    suggestion.refresh_from_db()
    assert suggestion.status == Status.RECEIVED

    meeting_services.save_minutes(actor=officer, roundtable=meeting, markdown="We agreed.")
    meeting_services.close_roundtable(actor=officer, roundtable=meeting)
    suggestion.refresh_from_db()
    other.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED and "item 3.1.2" in suggestion.official_answer
    assert other.status == Status.PARTLY_ACCEPTED
    emails = OutboxEmail.objects.filter(to=author.email, topic="consultations.answer")
    assert emails.count() == 1
    links = selectors.provenance_for_suggestion(suggestion)
    assert [link.tracked.code for link in links] == [new_item.tracked.code]


def test_every_edit_of_an_item_is_in_its_history():
    officer = make_staff()
    first = draft_with_items(items_per_strand=1)
    working = services.start_version(actor=officer, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    item = working.items.order_by("number").first()
    services.save_item(actor=officer, version=working, objective=item.objective, item=item, text_en="Rewritten")
    latest = item.history.order_by("-history_date").first()
    assert latest.history_change_reason == "changed" and latest.history_user == officer
    assert latest.text_en == "Rewritten"
