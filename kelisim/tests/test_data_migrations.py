"""The data migrations that turned stored sentences into facts, run on rows written the old way.

Each test writes rows as the release before the migration stored them, takes the app back to the migration
before, and migrates forward again, as a rolling upgrade does on a live database."""

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from kelisim.consultations import answers
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories as consultations
from kelisim.funding.models import ReviewAssignment
from kelisim.funding.tests import factories as funding
from kelisim.meetings.models import Decision
from kelisim.meetings.tests import factories as meetings
from kelisim.organisations.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def back_to():
    """Unapply an app's migrations after ``target``; every migration is applied again at the end."""
    undone = []

    def migrate_back(app: str, target: str) -> None:
        call_command("migrate", app, target, verbosity=0)
        undone.append(app)

    yield migrate_back
    if undone:
        call_command("migrate", verbosity=0)


def _old_answer(roundtable, decision_text: str, label: str = "") -> str:
    """The answer as the release before wrote it: a Russian sentence (the officer worked in Russian)."""
    values = {
        "title": roundtable.title_ru,
        "date": timezone.localtime(roundtable.starts_at).strftime("%d.%m.%Y"),
        "text": decision_text,
    }
    with translation.override("ru"):
        if label:
            return gettext(
                "The roundtable “%(title)s” of %(date)s took this suggestion into the action plan, %(item)s: %(text)s"
            ) % {**values, "item": label}
        return gettext("The roundtable “%(title)s” of %(date)s decided: %(text)s") % values


def test_roundtable_answers_written_as_russian_sentences_become_facts_worded_for_each_reader(back_to):
    version = consultations.open_version()
    roundtable = meetings.roundtable(title="Youth and the internet", title_ru="Молодёжь и интернет", days=-3)
    taken = consultations.suggestion(version, text="Open youth clubs with psychologists in every district.")
    declined = consultations.suggestion(version, text="Ban every messenger for teenagers under sixteen.")
    edited = consultations.suggestion(version, text="Pay mentors who visit young people released from colonies.")
    item = meetings.agenda_item(roundtable, suggestions=[taken, declined, edited])
    with translation.override("ru"):
        label = answers.plan_item_label("1.1.3", "AP-0007")
    assert label != "1.1.3 (AP-0007)"  # the worded label of before, in Russian
    rows = [
        (taken, "incorporate", "клубы в каждом районе", label, "AP-0007"),
        (declined, "decline", "запрет невыполним", "", ""),
        (edited, "incorporate", "наставники", label, "AP-0007"),
    ]
    decisions = [
        Decision.objects.create(
            roundtable=roundtable,
            agenda_item=item,
            suggestion=suggestion,
            kind=kind,
            text_ru=text,  # the Russian wording keeps the column the single wording had
            plan_item_code=code,
            applied_at=timezone.now(),
        )
        for suggestion, kind, text, _label, code in rows
    ]
    back_to("meetings", "0004_titles_in_three_languages")
    for decision, (suggestion, _kind, text, item_label, _code) in zip(decisions, rows, strict=True):
        # The column held the worded label then (renamed in the code only, so it can be written as it is now).
        Decision.objects.filter(pk=decision.pk).update(plan_item_number=item_label)
        Suggestion.objects.filter(pk=suggestion.pk).update(
            official_answer=_old_answer(roundtable, text, item_label), answer_facts={}
        )
    # An officer rewrote this answer afterwards: it is theirs and stays as typed.
    Suggestion.objects.filter(pk=edited.pk).update(official_answer="Мы обсудим это с министерством.")

    call_command("migrate", verbosity=0)

    taken.refresh_from_db()
    declined.refresh_from_db()
    edited.refresh_from_db()
    assert taken.official_answer == "" and taken.answer_facts["item_number"] == "1.1.3"
    assert taken.answer_facts["item_code"] == "AP-0007" and taken.answer_facts["text"] == "клубы в каждом районе"
    assert declined.official_answer == "" and declined.answer_facts["item_number"] == ""
    assert edited.official_answer == "Мы обсудим это с министерством." and edited.answer_facts == {}
    assert set(Decision.objects.values_list("plan_item_number", flat=True)) == {"1.1.3", ""}
    with translation.override("en"):
        english = answers.word(taken.answer_facts)
    with translation.override("kk"):
        kazakh = answers.word(taken.answer_facts)
    assert "Youth and the internet" in english and "1.1.3" in english and "AP-0007" in english
    assert kazakh != english and "клубы в каждом районе" in kazakh


def test_automatic_conflict_notes_stored_in_the_officers_language_are_cleared_and_written_notes_kept(back_to):
    officer = funding.officer()
    application = funding.submitted_application()
    insiders = [funding.reviewer() for _ in range(3)]
    for insider in insiders:
        Membership.objects.create(user=insider, organisation=application.organisation, status=Membership.Status.ACTIVE)
    assignments = [funding.assignment_for(application, insider, actor=officer) for insider in insiders]
    assert all(assignment.automatic_conflict for assignment in assignments)
    back_to("funding", "0008_text_limits")
    with translation.override("ru"):
        russian = gettext("Member of the applicant organisation.")
    with translation.override("kk"):
        kazakh = gettext("Member of the applicant organisation.")
    assert russian != kazakh != "Member of the applicant organisation."
    notes = [russian, kazakh, "Chairs the applicant's board; told the office on 3 March."]
    for assignment, note in zip(assignments, notes, strict=True):
        ReviewAssignment.objects.filter(pk=assignment.pk).update(conflict_note=note)

    call_command("migrate", verbosity=0)

    assert [ReviewAssignment.objects.get(pk=a.pk).conflict_note for a in assignments] == ["", "", notes[2]]
