from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.consultations.models import Status
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core.models import OutboxEmail, Region
from kelisim.meetings import services as meeting_services
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans import selectors, services
from kelisim.plans.models import PlanItem, PlanVersion, Provenance, TrackedItem
from kelisim.plans.tests.factories import draft_with_items, plan

pytestmark = pytest.mark.django_db


def test_versions_follow_the_transition_table():
    the_plan = plan()
    with pytest.raises(ValidationError):
        services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.REVISION)
    first = draft_with_items(the_plan=the_plan)
    assert (first.kind, first.kind_number, first.label) == ("draft", 1, "draft 1")
    second = services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.DRAFT)
    with pytest.raises(ValidationError):
        services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.DRAFT)  # one working copy
    assert second.label == "draft 2"
    assert second.items.count() == first.items.count()
    services.publish_version(actor=None, version=second)
    adopted = services.adopt_plan(actor=None, plan=the_plan, adopted_on=date(2017, 3, 1))
    assert adopted.label == "adopted" and adopted.adopted_on == date(2017, 3, 1)
    with pytest.raises(ValidationError):
        services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.DRAFT)
    revision = services.start_version(actor=None, plan=the_plan, kind=PlanVersion.Kind.REVISION)
    assert revision.label == "revision 1"


def test_a_published_version_never_changes():
    version = draft_with_items()
    item = version.items.first()
    with pytest.raises(ValidationError):
        services.save_item(actor=None, version=version, objective=item.objective, item=item, text_en="rewritten")
    with pytest.raises(ValidationError):
        services.remove_item(actor=None, item=item)
    with pytest.raises(ValidationError):
        services.publish_version(actor=None, version=version)


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


def test_officers_draft_and_only_an_administrator_adopts():
    officer = make_staff(Role.OFFICER)
    administrator = make_staff(Role.ADMINISTRATOR)
    draft = draft_with_items()
    with pytest.raises(PermissionDenied):
        services.start_version(actor=UserFactory(), plan=draft.plan, kind=PlanVersion.Kind.DRAFT)
    with pytest.raises(PermissionDenied):
        services.adopt_plan(actor=officer, plan=draft.plan, adopted_on=date(2017, 3, 1))
    adopted = services.adopt_plan(actor=administrator, plan=draft.plan, adopted_on=date(2017, 3, 1))
    history = adopted.history.order_by("history_date")
    assert [entry.history_change_reason for entry in history] == ["started", "adopted"]
    assert history.last().history_user == administrator
    revision = services.start_version(actor=officer, plan=draft.plan, kind=PlanVersion.Kind.REVISION)
    with pytest.raises(PermissionDenied):
        services.publish_version(actor=officer, version=revision, adopted_on=date(2018, 1, 1))
    with pytest.raises(ValidationError):
        services.publish_version(actor=administrator, version=revision)  # needs the adoption date


def test_indicators_with_yearly_and_regional_targets_are_copied_to_the_next_version():
    draft = services.start_version(actor=None, plan=plan(), kind=PlanVersion.Kind.DRAFT)
    from kelisim.plans.tests.factories import strands

    objective = services.save_objective(actor=None, version=draft, strand=strands()[2], title_en="Youth")
    item = services.save_item(
        actor=None, version=draft, objective=objective, text_en="Clubs", responsible_body="Akimat"
    )
    region = Region.objects.get(code="KZ-71")
    services.save_indicator(
        actor=None,
        item=item,
        name="Young people reached",
        unit="people",
        baseline=1000,
        targets=[(2018, None, 5000), (2018, region, 800)],
    )
    with pytest.raises(ValidationError):
        services.save_indicator(actor=None, item=item, name="Out of period", unit="x", targets=[(2030, None, 1)])
    services.publish_version(actor=None, version=draft)
    second = services.start_version(actor=None, plan=draft.plan, kind=PlanVersion.Kind.DRAFT)
    copied = second.items.get().indicators.get()
    assert sorted((t.year, t.region_id or 0, int(t.value)) for t in copied.targets.all()) == [
        (2018, 0, 5000),
        (2018, region.pk, 800),
    ]


def test_a_new_version_keeps_each_items_regions_and_partners():
    from kelisim.organisations.tests.factories import OrganisationFactory
    from kelisim.plans.tests.factories import strands

    draft = services.start_version(actor=None, plan=plan(), kind=PlanVersion.Kind.DRAFT)
    objective = services.save_objective(actor=None, version=draft, strand=strands()[0], title_en="Prisons")
    regions = list(Region.objects.filter(code__in=["KZ-31", "KZ-71"]))
    partner = OrganisationFactory()
    services.save_item(
        actor=None,
        version=draft,
        objective=objective,
        text_en="Sessions in prisons",
        responsible_body="Ministry",
        regions=regions,
        partners=[partner],
    )
    services.publish_version(actor=None, version=draft)
    second = services.start_version(actor=None, plan=draft.plan, kind=PlanVersion.Kind.DRAFT)
    copied = second.items.get()
    assert sorted(region.code for region in copied.regions.all()) == ["KZ-31", "KZ-71"]
    assert list(copied.partners.all()) == [partner]
    assert draft.items.get().regions.count() == 2  # the published version keeps its own


def test_compare_shows_added_removed_and_word_level_changes_by_strand():
    first = draft_with_items(items_per_strand=1)
    second = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    changed, removed = list(second.items.order_by("number"))[:2]
    services.save_item(
        actor=None,
        version=second,
        objective=changed.objective,
        item=changed,
        text_en="Measure 1 of the zero-tolerance strand with lectures in colleges",
    )
    services.remove_item(actor=None, item=removed)
    services.save_item(
        actor=None, version=second, objective=changed.objective, text_en="Bloggers' school", responsible_body="Ministry"
    )
    services.publish_version(actor=None, version=second)
    groups = selectors.compare_versions(first, second)
    changes = {change.kind: change for _strand, items in groups for change in items}
    assert set(changes) == {"added", "removed", "changed"}
    text_diff = dict(changes["changed"].fields)["text"]
    assert "<del>schools</del>" in text_diff and "<ins>colleges</ins>" in text_diff
    assert [strand.code for strand, _items in groups] == ["zero-tolerance", "prisons"]


def test_word_diff_escapes_html():
    assert "&lt;b&gt;" in selectors.word_diff("a", "<b>")


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


def test_progress_follows_the_status_table_and_rolls_up_by_weight():
    version = draft_with_items(items_per_strand=2)
    first, second = list(version.items.filter(objective__strand__code="youth").order_by("number"))
    services.record_progress(
        actor=None, tracked=first.tracked, status="in_progress", progress=50, note="Half the schools."
    )
    services.record_progress(actor=None, tracked=second.tracked, status="completed", progress=10, note="Done.")
    second.tracked.refresh_from_db()
    assert second.tracked.progress == 100  # completed means 100 %
    PlanItem.objects.filter(pk=first.pk).update(weight=3)
    items = list(selectors.version_items(version))
    tree = {node.strand.code: node for node in selectors.strand_tree(items)}
    assert tree["youth"].progress == round((3 * 50 + 1 * 100) / 4)
    assert tree["prisons"].progress == 0
    services.record_progress(actor=None, tracked=first.tracked, status="cancelled", progress=50, note="Stopped.")
    with pytest.raises(ValidationError):
        services.record_progress(actor=None, tracked=first.tracked, status="in_progress", progress=60, note="Again?")
    with pytest.raises(PermissionDenied):
        services.record_progress(
            actor=UserFactory(), tracked=second.tracked, status="completed", progress=100, note="x"
        )
    assert second.tracked.updates.count() == 1


def test_every_edit_of_an_item_is_in_its_history():
    officer = make_staff()
    first = draft_with_items(items_per_strand=1)
    working = services.start_version(actor=officer, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    item = working.items.order_by("number").first()
    services.save_item(actor=officer, version=working, objective=item.objective, item=item, text_en="Rewritten")
    latest = item.history.order_by("-history_date").first()
    assert latest.history_change_reason == "changed" and latest.history_user == officer
    assert latest.text_en == "Rewritten"
