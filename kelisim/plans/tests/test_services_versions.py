"""The plan's versions: started, published, adopted (kelisim.plans.services.versions)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.core.models import Region
from kelisim.plans import services
from kelisim.plans.models import PlanVersion
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
        name_en="Young people reached",
        unit_en="people",
        baseline=1000,
        targets=[(2018, None, 5000), (2018, region, 800)],
    )
    with pytest.raises(ValidationError):
        services.save_indicator(actor=None, item=item, name_en="Out of period", unit_en="x", targets=[(2030, None, 1)])
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


def test_the_note_the_system_writes_is_worded_in_the_readers_language():
    """A working copy opened for roundtable decisions keeps the fact, not a sentence in the officer's language."""
    from importlib import import_module

    from django.apps import apps
    from django.utils import translation

    first = draft_with_items()
    with translation.override("ru"):
        copy = services.working_copy_for_changes(actor=None, plan=first.plan)
    assert (copy.note, copy.system_note) == ("", PlanVersion.SystemNote.FROM_DECISIONS)
    for language, text in (
        ("en", "Changes from roundtable decisions"),
        ("ru", "Изменения по решениям круглых столов"),
        ("kk", "Дөңгелек үстел шешімдері бойынша өзгерістер"),
    ):
        with translation.override(language):
            assert copy.note_text == text

    # Rows written before, in Russian, become the fact; an officer's own note stays as written.
    PlanVersion.objects.filter(pk=copy.pk).update(note="Изменения по решениям круглых столов", system_note="")
    PlanVersion.objects.filter(pk=first.pk).update(note="Changes agreed with the ministries")
    import_module("kelisim.plans.migrations.0006_plan_version_system_note").keep_as_fact(apps, None)
    copy.refresh_from_db()
    first.refresh_from_db()
    assert (copy.note, copy.system_note) == ("", "from_decisions")
    assert (first.note, first.system_note, first.note_text) == ("Changes agreed with the ministries", "", first.note)
