"""Content in three languages (issue 16): a page shows a missing translation in the language that has it, marked
with its ``lang`` and a note in the reader's language; officers get the list of what is missing."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.consultations.models import Document
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.funding.models import Call, Contract, Criterion, Milestone
from kelisim.funding.tests.factories import open_call, signed_contract
from kelisim.meetings import services as meeting_services
from kelisim.meetings.models import AgendaItem, Roundtable
from kelisim.meetings.tests.factories import agenda_item, roundtable
from kelisim.plans.models import Indicator, Objective, PlanItem
from kelisim.plans.tests.factories import draft_with_items
from kelisim.publications.tests.factories import ArticleFactory
from kelisim.worklists.translations import missing_translations

pytestmark = pytest.mark.django_db

RU = "Профилактика радикализма среди молодёжи"
ALL = {"kk": "Жастар арасында радикализмнің алдын алу", "ru": RU, "en": "Prevention of radicalism among the young"}


def _texts(base: str, languages) -> dict:
    return {f"{base}_{code}": (ALL[code] if code in languages else "") for code in ("kk", "ru", "en")}


def _roundtable(languages):
    meeting = roundtable(**_texts("title", languages))
    return meeting.get_absolute_url()


def _agenda_item(languages):
    meeting = roundtable(title_ru="Круглый стол")
    AgendaItem.objects.create(roundtable=meeting, starts_at="10:00", **_texts("title", languages))
    return meeting.get_absolute_url()


def _decision(languages):
    meeting = roundtable(title_ru="Круглый стол", title_kk="Дөңгелек үстел", title_en="Roundtable")
    suggestion = consultation_factories.suggestion(consultation_factories.open_version())
    item = agenda_item(meeting, suggestions=[suggestion], title_ru="Молодёжь", title_kk="Жастар")
    meeting_services.record_decision(
        actor=None, agenda_item=item, kind="defer", suggestion=suggestion, **_texts("text", languages)
    )
    meeting_services.save_minutes(actor=None, roundtable=meeting, markdown="Done.")
    meeting_services.close_roundtable(actor=None, roundtable=meeting)
    return meeting.get_absolute_url()


def _indicator_unit(languages):
    item = draft_with_items(items_per_strand=1).items.select_related("tracked").first()
    names = {"name_kk": "Қатысушылар", "name_ru": "Участники", "name_en": "Participants"}
    Indicator.objects.create(item=item, **names, **_texts("unit", languages))
    return item.tracked.get_absolute_url()


def _milestone(languages):
    with translation.override("en"):
        contract = signed_contract(milestones=1)
    deliverables = {"deliverables_kk": "Он дәріс", "deliverables_ru": "Десять лекций", "deliverables_en": "Lectures"}
    Milestone.objects.filter(contract=contract).update(**_texts("title", languages), **deliverables)
    return contract.get_absolute_url()


def _contract(languages):
    with translation.override("en"):
        contract = signed_contract(milestones=1)
    summaries = {"summary_kk": "Он дәріс", "summary_ru": "Десять лекций", "summary_en": "Ten lectures"}
    Contract.objects.filter(pk=contract.pk).update(**_texts("title", languages), **summaries)
    Milestone.objects.filter(contract=contract).update(
        title_kk="Кезең", title_ru="Этап", title_en="Stage", deliverables_kk="Есеп", deliverables_ru="Отчёт"
    )
    return contract.get_absolute_url()


def _plan_item(languages):
    item = draft_with_items(items_per_strand=1).items.select_related("tracked").first()
    PlanItem.objects.filter(pk=item.pk).update(**_texts("text", languages))
    return item.tracked.get_absolute_url()


def _plan_item_in_the_plans_list(languages):
    version = draft_with_items(items_per_strand=1)
    item = version.items.first()
    PlanItem.objects.filter(pk=item.pk).update(**_texts("text", languages))
    return reverse("plans:version", args=[version.number])


def _objective(languages):
    version = draft_with_items(items_per_strand=1)
    Objective.objects.filter(version=version).update(**_texts("title", languages))
    return reverse("plans:version", args=[version.number])


def _document_on_the_consultations_index(languages):
    version = consultation_factories.open_version()
    Document.objects.filter(pk=version.document_id).update(**_texts("title", languages))
    return reverse("consultations:index")


def _indicator(languages):
    item = draft_with_items(items_per_strand=1).items.select_related("tracked").first()
    units = {"unit_kk": "адам", "unit_ru": "человек", "unit_en": "people"}
    Indicator.objects.create(item=item, **units, **_texts("name", languages))
    return item.tracked.get_absolute_url()


def _call(languages):
    with translation.override("en"):
        call = open_call()
    Call.objects.filter(pk=call.pk).update(**_texts("title", languages))
    return call.get_absolute_url()


def _criterion(languages):
    with translation.override("en"):
        call = open_call()
    Criterion.objects.filter(call=call, name_en="Relevance").update(**_texts("name", languages))
    return call.get_absolute_url()


KINDS = {
    "roundtable": _roundtable,
    "agenda item": _agenda_item,
    "plan item": _plan_item,
    "plan item in the plan's list": _plan_item_in_the_plans_list,
    "objective": _objective,
    "document on the consultations index": _document_on_the_consultations_index,
    "indicator": _indicator,
    "call": _call,
    "criterion": _criterion,
    "decision": _decision,
    "indicator unit": _indicator_unit,
    "milestone": _milestone,
    "contract": _contract,
}


@pytest.mark.parametrize("reader", ["en", "kk"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_translation_is_shown_in_russian_with_a_note_in_the_readers_language(client, kind, reader):
    with translation.override(reader):
        url = KINDS[kind](["ru"])
        note = f"({translation.gettext('shown in Russian')})"
    page = client.get(url).text
    assert f'<span lang="ru">{RU}</span>' in page
    assert note in page
    assert reader == "en" or "(shown in Russian)" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_content_in_the_three_languages_has_no_note(client, kind):
    with translation.override("en"):
        url = KINDS[kind](["kk", "ru", "en"])
    page = client.get(url).text
    assert ALL["en"] in page
    assert RU not in page
    assert "shown in" not in page


def test_officers_see_what_misses_a_translation_counted_by_kind(client):
    roundtable(title_en="Only English")
    roundtable(**_texts("title", ["kk", "ru", "en"]))
    roundtable(title_en="English", title_ru="Русский")
    counts = {kind["key"]: kind["count"] for kind in missing_translations()}
    assert counts["roundtables"] == 2
    # The factory's agenda-less roundtables and no plan or call: nothing else is missing.
    assert sum(counts.values()) == 2

    sign_in(client, make_staff())
    page = client.get(reverse("worklists:translations")).text
    assert "Only English" in page
    assert reverse("meetings:edit", args=[Roundtable.objects.get(title_en="Only English").pk]) in page
    assert "missing: Kazakh, Russian" in page
    assert "missing: Kazakh</li>" in page
    assert reverse("worklists:translations") in client.get(reverse("worklists:home")).text


# Each kind of content, made in Russian only: the key it is listed under on the officers' list.
LISTED = {
    "roundtable": "roundtables",
    "agenda item": "agenda_items",
    "plan item": "plan_items",
    "indicator": "indicators",
    "indicator unit": "indicators",
    "call": "calls",
    "criterion": "criteria",
    "decision": "decisions",
    "milestone": "milestones",
    "contract": "contracts",
}


@pytest.mark.parametrize("kind", LISTED)
def test_officers_list_each_kind_of_content_that_misses_a_translation(client, kind):
    with translation.override("en"):
        KINDS[kind](["ru"])
    listed = {entry["key"]: entry for entry in missing_translations()}[LISTED[kind]]
    # The record written in Russian only (factories may add others, written in English only).
    [row] = [row for row in listed["rows"] if row.missing == ["kk", "en"]]
    sign_in(client, make_staff())
    page = client.get(reverse("worklists:translations")).text
    assert row.url in page


def _article_group(languages) -> dict:
    group = uuid.uuid4()
    return {code: ArticleFactory(language=code, translation_group=group, title=ALL[code]) for code in languages}


@pytest.mark.parametrize("reader", ["en", "kk"])
def test_an_article_without_the_readers_language_is_marked_with_its_language(client, reader):
    article = _article_group(["ru"])["ru"]
    with translation.override(reader):
        note = f"({translation.gettext('shown in Russian')})"
        # Its own address is under the Russian prefix; this one is the reader's (a link shared, the language switcher).
        url = reverse("publications:detail", kwargs={"slug": article.slug})
        everything = reverse("publications:list") + "?language=all"
    for page in (client.get(url).text, client.get(everything).text):
        assert RU in page
        assert note in page
        assert f'lang="{reader}">{note}' in page  # the note is in the reader's language, inside the Russian text


def test_an_article_in_the_readers_language_has_no_note(client):
    articles = _article_group(["kk", "ru", "en"])
    with translation.override("en"):
        url = articles["en"].get_absolute_url()
    page = client.get(url).text
    assert ALL["en"] in page
    assert "shown in" not in page


def test_officers_list_articles_missing_a_language(client):
    only_russian = _article_group(["ru"])["ru"]
    _article_group(["kk", "ru", "en"])
    two = _article_group(["kk", "en"])
    listed = {entry["key"]: entry for entry in missing_translations()}["articles"]
    assert listed["count"] == 2
    assert {row.label: row.missing for row in listed["rows"]} == {RU: ["kk", "en"], ALL["kk"]: ["ru"]}
    sign_in(client, make_staff())
    page = client.get(reverse("worklists:translations")).text
    assert reverse("publications:edit", args=[only_russian.pk]) in page
    assert reverse("publications:edit", args=[two["kk"].pk]) in page


def test_the_list_is_for_officers_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("worklists:translations")).status_code in (403, 404)


def test_the_demo_is_written_in_the_three_languages():
    call_command("load_demo", "--quiet-signins", stdout=StringIO())
    missing = {kind["key"]: [row.label for row in kind["rows"]] for kind in missing_translations() if kind["count"]}
    assert missing == {}
