"""A working copy's items and roundtable decisions (kelisim.plans.services.items)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations.models import Status, StatusChange
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import selectors, services
from kelisim.plans.models import PlanVersion, Provenance, TrackedItem
from kelisim.plans.tests.factories import draft_with_items
from kelisim.tests.page_language import foreign_strings

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
        text_en="Into the youth strand.",
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
        text_en="Partly, into prisons.",
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
    assert suggestion.status == Status.ACCEPTED and "item 3.1.2" in suggestion.answer_text
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


def test_the_roundtable_answer_is_kept_as_facts_and_read_in_each_readers_language(client):
    """Decided and closed on a Russian page, the answer reads in Kazakh and English on their pages, in the
    trace and in the Kazakh-speaking author's email: none of the system's Russian sentence stays."""
    first = draft_with_items(items_per_strand=1)
    version = consultation_factories.open_version()
    author = UserFactory(preferred_language="kk")
    suggestion = consultation_factories.suggestion(
        version, text="Train imams to talk with young people.", author=author
    )
    meeting = roundtable()
    item = agenda_item(meeting, suggestions=[suggestion])
    officer = make_staff()
    with translation.override("ru"):
        decision = services.incorporate_suggestion(
            actor=officer,
            plan=first.plan,
            agenda_item=item,
            suggestion=suggestion,
            text_en="Into the youth strand.",
            tracked=first.items.get(number="2.1.1").tracked,
        )
        meeting_services.save_minutes(actor=officer, roundtable=meeting, markdown="We agreed.")
        meeting_services.close_roundtable(actor=officer, roundtable=meeting)
    suggestion.refresh_from_db()
    decision.refresh_from_db()
    assert (suggestion.official_answer, decision.plan_item_number) == ("", "2.1.1")
    russian = _worded(suggestion, "ru")
    with translation.override("ru"):
        russian_why = suggestion.status_changes.get(to_status=Status.ACCEPTED).reason_text
    assert "Круглый стол" in russian and "пункт 2.1.1" in russian

    for language in ("kk", "en"):
        worded = _worded(suggestion, language)
        assert "2.1.1" in worded and "Into the youth strand." in worded
        with translation.override(language):
            paths = (suggestion.get_absolute_url(), reverse("plans:trace_suggestion", args=[suggestion.reference]))
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, path
            html = page.content.decode()
            assert escape(worded) in html and escape(russian) not in html
            assert "Круглый стол" not in html and "пункт" not in html
            assert not [text for text in foreign_strings(html, language) if "roundtable" in text.lower()]
        with translation.override(language):
            assert "2.1.1" in decision.plan_item_label and decision.plan_item_code in decision.plan_item_label
            assert "пункт" not in decision.plan_item_label
            # The officers' history says why in their language too, not the stored code.
            why = suggestion.status_changes.get(to_status=Status.ACCEPTED).reason_text
            assert why == str(StatusChange.SYSTEM_REASONS[StatusChange.ROUNDTABLE_DECISION]) and why not in (
                "roundtable decision",
                russian_why,
            )

    email = OutboxEmail.objects.get(to=author.email, topic="consultations.answer")
    with translation.override("kk"):
        kazakh_subject = " ".join(
            render_to_string("consultations/email/answer_subject.txt", {"suggestion": suggestion}).split()
        )
    assert email.subject == kazakh_subject != f"Your suggestion {suggestion.reference} has an answer"
    assert _worded(suggestion, "kk") in email.body_text and "Круглый стол" not in email.body_text


def _worded(suggestion, language: str) -> str:
    with translation.override(language):
        return suggestion.answer_text
