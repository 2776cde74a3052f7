"""A plan item's progress following its indicators: the rule (kelisim.plans.progress) and the services that
store it. Indicator values come from a reader registered by a later app; here a stand-in reader gives them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff
from kelisim.plans import progress, registry, selectors, services
from kelisim.plans.models import ProgressSource, ProgressUpdate, TrackedItem
from kelisim.plans.progress import IndicatorReading, rule
from kelisim.plans.tests.factories import add_items, draft_with_items

JUNE_2026 = date(2026, 6, 1)


def _reading(name="Events held", *, measured=True, actual=None, target=None, year=2026):
    return IndicatorReading(
        name=name,
        measured=measured,
        actual_by_year={} if actual is None else {year: actual},
        target_by_year={} if target is None else {year: target},
    )


# --- The rule ------------------------------------------------------------------------------------------------


def test_progress_is_the_mean_of_each_indicators_share_of_its_target_capped_at_100():
    result = rule(
        [
            _reading("Events held", actual=12, target=20),  # 60 %
            _reading("Participants", actual=300, target=250),  # 120 % counts as 100 %
            _reading("Inmates reached", target=40),  # nothing reported yet: 0 %
        ],
        today=JUNE_2026,
    )
    assert (result.progress, result.year) == (round((60 + 100 + 0) / 3), 2026)
    assert [part.score for part in result.parts] == [60.0, 100.0, 0.0]
    assert "Events held: 12 of 20 (60 %)" in result.note() and "Mean: 53 %" in result.note()


def test_unmeasured_indicators_and_indicators_without_a_target_that_year_are_left_out():
    result = rule(
        [
            _reading("Measured", actual=5, target=10),
            _reading("Nobody measures it", measured=False, target=10),
            _reading("Target only next year", actual=3, target=10, year=2027),
        ],
        today=JUNE_2026,
    )
    assert (result.progress, [part.name for part in result.parts]) == (50, ["Measured"])


def test_the_reference_year_is_this_year_or_the_last_one_with_a_target():
    reading = IndicatorReading(
        name="Events held",
        measured=True,
        actual_by_year={2019: 8, 2020: 20},
        target_by_year={2019: 10, 2020: 40, 2021: 50},
    )
    assert (rule([reading], today=date(2019, 3, 1)).progress, rule([reading], today=date(2019, 3, 1)).year) == (
        80,
        2019,
    )
    assert rule([reading], today=date(2020, 12, 31)).progress == 50
    after_the_programme = rule([reading], today=JUNE_2026)
    assert (after_the_programme.year, after_the_programme.progress) == (2021, 0)


def test_no_target_yet_means_zero_and_the_note_says_why():
    result = rule([_reading(actual=10, target=20, year=2030)], today=JUNE_2026)
    assert (result.progress, result.year, result.parts) == (0, None, ())
    assert "none has a target" in result.note()


def test_rounding_is_half_up_and_a_zero_target_is_ignored():
    assert rule([_reading(actual=5, target=8)], today=JUNE_2026).progress == 63  # 62.5
    assert rule([_reading(actual=1, target=8)], today=JUNE_2026).progress == 13  # 12.5
    assert rule([_reading(actual=5, target=0)], today=JUNE_2026).progress == 0


# --- The services ------------------------------------------------------------------------------------------


@pytest.fixture
def readings(monkeypatch):
    """A stand-in for the reader a later app registers: the values tests put in ``values[tracked.pk]``."""
    values: dict[int, list[IndicatorReading]] = {}
    monkeypatch.setattr(registry, "_reader", lambda tracked: values.get(tracked.pk, []))
    monkeypatch.setattr(progress.timezone, "localdate", lambda: JUNE_2026)
    return values


pytestmark = pytest.mark.django_db


def _tracked() -> TrackedItem:
    return draft_with_items(items_per_strand=1).items.select_related("tracked").first().tracked


def test_switching_to_indicators_computes_at_once_and_says_so_in_the_timeline(readings):
    officer = make_staff(Role.OFFICER)
    tracked = _tracked()
    services.record_progress(actor=officer, tracked=tracked, status="in_progress", progress=10, note="Started.")
    readings[tracked.pk] = [_reading(actual=15, target=20)]
    tracked = services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.INDICATORS)
    tracked.refresh_from_db()
    assert (tracked.progress_source, tracked.progress) == ("indicators", 75)
    update = tracked.updates.first()
    assert (update.source, update.progress, update.author) == ("indicators", 75, officer)
    assert "Events held: 15 of 20" in update.text
    assert tracked.history.first().history_change_reason == "progress follows its indicators"


def test_a_computed_note_is_written_in_the_readers_language(readings, client):
    from django.utils import translation

    officer = make_staff(Role.OFFICER)
    tracked = _tracked()
    readings[tracked.pk] = [_reading(actual=15, target=20)]
    with translation.override("ru"):  # the officer who switched works in Russian
        services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.INDICATORS)
        services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.MANUAL)
    english = client.get(f"/en/plan/items/{tracked.code}/").content.decode()
    assert "Computed from the indicators for" in english and "Рассчитано" not in english
    assert "From now on the progress is entered by hand" in english
    with translation.override("ru"):
        assert "Рассчитано" in tracked.updates.get(source="indicators").text
    api = client.get(f"/api/v1/plan/items/{tracked.code}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["updates"][1]["source"] == "indicators" and api["updates"][1]["note"].startswith("Computed")


def test_manual_progress_is_refused_while_the_item_follows_its_indicators(readings):
    officer = make_staff(Role.OFFICER)
    tracked = _tracked()
    readings[tracked.pk] = [_reading(actual=5, target=20)]
    services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.INDICATORS)
    with pytest.raises(ValidationError) as refused:
        services.record_progress(actor=officer, tracked=tracked, status="in_progress", progress=90, note="Nearly.")
    assert "follows its indicators" in str(refused.value.message_dict["progress"])
    tracked.refresh_from_db()
    assert tracked.progress == 25 and tracked.updates.count() == 1
    # Status and what was done are still reported; the figure stays the computed one.
    services.record_progress(actor=officer, tracked=tracked, status="completed", note="Last lecture given.")
    tracked.refresh_from_db()
    assert (tracked.status, tracked.progress) == ("completed", 25)
    # Back to manual: figures are typed again.
    services.set_progress_source(actor=officer, tracked=tracked, source=ProgressSource.MANUAL)
    services.record_progress(actor=officer, tracked=tracked, status="completed", progress=100, note="Closed.")
    tracked.refresh_from_db()
    assert (tracked.progress_source, tracked.progress) == ("manual", 100)
    with pytest.raises(ValidationError):
        services.record_progress(actor=officer, tracked=tracked, status="completed", note="No figure.")


def test_only_officers_choose_and_only_published_items(readings):
    tracked = _tracked()
    with pytest.raises(PermissionDenied):
        services.set_progress_source(actor=UserFactory(), tracked=tracked, source=ProgressSource.INDICATORS)
    working = services.start_version(actor=None, plan=tracked.plan, kind="draft")
    add_items(working, 1)
    unpublished = TrackedItem.objects.get(first_published_in__isnull=True)
    with pytest.raises(ValidationError):
        services.set_progress_source(actor=None, tracked=unpublished, source=ProgressSource.INDICATORS)
    with pytest.raises(ValidationError):
        services.set_progress_source(actor=None, tracked=tracked, source="guess")


def test_refresh_changes_only_following_items_whose_figure_moved(readings):
    following, manual, cancelled = (
        version_item.tracked
        for version_item in draft_with_items(items_per_strand=1).items.select_related("tracked").order_by("pk")
    )
    for tracked in (following, manual, cancelled):
        readings[tracked.pk] = [_reading(actual=2, target=10)]
    services.set_progress_source(actor=None, tracked=following, source=ProgressSource.INDICATORS)
    services.set_progress_source(actor=None, tracked=cancelled, source=ProgressSource.INDICATORS)
    services.record_progress(actor=None, tracked=cancelled, status="cancelled", note="Dropped.")
    assert services.refresh_indicator_progress() == 0  # nothing moved: no new line in any timeline
    before = ProgressUpdate.objects.count()
    for tracked in (following, manual, cancelled):
        readings[tracked.pk] = [_reading(actual=8, target=10)]
    assert services.refresh_indicator_progress() == 1
    assert ProgressUpdate.objects.count() == before + 1
    progress_by_code = dict(TrackedItem.objects.values_list("code", "progress"))
    assert progress_by_code[following.code] == 80
    assert progress_by_code[manual.code] == 0
    assert progress_by_code[cancelled.code] == 20  # a cancelled item keeps its last figure


def test_computed_progress_rolls_up_like_typed_progress(readings):
    version = draft_with_items(items_per_strand=1)
    youth = version.items.select_related("tracked").get(objective__strand__code="youth")
    readings[youth.tracked.pk] = [_reading(actual=10, target=40)]
    services.set_progress_source(actor=None, tracked=youth.tracked, source=ProgressSource.INDICATORS)
    tree = {node.strand.code: node for node in selectors.strand_tree(list(selectors.version_items(version)))}
    assert tree["youth"].progress == 25
