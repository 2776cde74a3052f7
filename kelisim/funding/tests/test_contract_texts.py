"""A contract's public title and summary in Kazakh, Russian and English (issue 16): copied from the application in
the language it is written in, translated by the officer, shown with ``lang`` and a note where a reader's language
is missing, and exported with every language the contract has."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kelisim.accounts.tests.factories import UserFactory, sign_in
from kelisim.funding import services
from kelisim.funding.models import Application, Contract, Release
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db

TITLE = {
    "kk": "Студенттерге арналған бейбітшілік дәрістері",
    "ru": "Лекции о мире для студентов",
    "en": "Peace lectures for students",
}
SUMMARY = {
    "kk": "Өңір колледждерінде теологтармен жиырма дәріс.",
    "ru": "Двадцать лекций с теологами в колледжах региона.",
    "en": "Twenty lectures with theologians in the region's colleges.",
}


def _texts(languages) -> dict:
    return {
        **{f"title_{code}": TITLE[code] if code in languages else "" for code in ("kk", "ru", "en")},
        **{f"summary_{code}": SUMMARY[code] if code in languages else "" for code in ("kk", "ru", "en")},
    }


def _russian_contract(officer, **kwargs) -> Contract:
    """A signed contract whose organisation wrote its application in Russian."""
    application = factories.approved_application(actor=officer, **kwargs)
    Application.objects.filter(pk=application.pk).update(title=TITLE["ru"], summary=SUMMARY["ru"])
    application.refresh_from_db()
    start = application.call.closes_at.date()
    contract = services.create_contract(
        actor=officer, application=application, period_start=start, period_end=start + timedelta(days=200)
    )
    services.add_milestone(
        actor=officer, contract=contract, title_ru="Этап", deliverables_ru="Отчёт", due_date=start + timedelta(days=10)
    )
    return services.transition_contract(actor=officer, contract=contract, to=Contract.Status.SIGNED)


# --- services ---------------------------------------------------------------------------------------------------


def test_a_new_contract_takes_the_applications_title_and_summary_in_its_language():
    english = factories.signed_contract()
    assert (english.title_en, english.summary_en) == (TITLE["en"], SUMMARY["en"])
    assert english.title_ru == english.title_kk == english.summary_ru == english.summary_kk == ""

    russian = _russian_contract(factories.officer(), call=factories.open_call(reference="russian-call"))
    assert (russian.title_ru, russian.summary_ru) == (TITLE["ru"], SUMMARY["ru"])
    assert russian.title_en == russian.title_kk == ""


def test_the_officer_translates_the_contract_and_the_history_says_so():
    officer = factories.officer()
    contract = _russian_contract(officer)
    version = contract.version
    translated = services.translate_contract(actor=officer, contract=contract, **_texts(["kk", "ru", "en"]))
    translated.refresh_from_db()
    assert (translated.title_kk, translated.title_en, translated.summary_kk) == (
        TITLE["kk"],
        TITLE["en"],
        SUMMARY["kk"],
    )
    # A translation is no amendment: the version stays, the application stays as it was reviewed.
    assert translated.version == version
    assert translated.application.title == TITLE["ru"]
    latest = translated.history.first()
    assert latest.history_change_reason == "wording translated"
    assert latest.history_user == officer
    assert latest.title_kk == TITLE["kk"]


def test_only_officers_translate_a_contract():
    contract = factories.signed_contract()
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        services.translate_contract(actor=member, contract=contract, **_texts(["kk", "ru", "en"]))
    contract.refresh_from_db()
    assert contract.title_kk == ""


def test_a_contract_keeps_a_title_in_one_language_at_least():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    with pytest.raises(ValidationError):
        services.translate_contract(actor=officer, contract=contract, **{**_texts(["ru"]), "title_ru": "  "})
    contract.refresh_from_db()
    assert contract.title_en == TITLE["en"]


def test_the_migration_copies_the_application_into_contracts_made_before_it():
    contract = factories.signed_contract()
    Contract.objects.filter(pk=contract.pk).update(**_texts([]))
    Application.objects.filter(pk=contract.application_id).update(title=TITLE["kk"], summary=SUMMARY["kk"])
    migration = importlib.import_module("kelisim.funding.migrations.0011_contract_texts_in_three_languages")
    migration.copy_from_applications(apps, None)
    contract.refresh_from_db()
    assert (contract.title_kk, contract.summary_kk) == (TITLE["kk"], SUMMARY["kk"])
    assert contract.title_ru == contract.title_en == ""


# --- pages -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["en", "kk"])
def test_a_contract_in_russian_only_is_marked_on_its_page_the_register_and_the_call(client, reader):
    contract = _russian_contract(factories.officer())
    with translation.override(reader):
        note = f"({translation.gettext('shown in Russian')})"
        pages = [
            contract.get_absolute_url(),
            reverse("funding:contracts"),
            reverse("funding:call_detail", args=[contract.application.call.reference]),
        ]
    for url in pages:
        page = client.get(url).text
        assert f'<span lang="ru">{TITLE["ru"]}</span>' in page, url
        assert note in page, url
    detail = client.get(pages[0]).text
    assert f'<div lang="ru"><p>{SUMMARY["ru"]}</p></div>' in detail


def test_a_translated_contract_is_shown_in_the_readers_language_without_a_note(client):
    officer = factories.officer()
    contract = _russian_contract(officer)
    services.translate_contract(actor=officer, contract=contract, **_texts(["kk", "ru", "en"]))
    with translation.override("kk"):
        url = contract.get_absolute_url()
    page = client.get(url).text
    assert TITLE["kk"] in page and SUMMARY["kk"] in page
    assert TITLE["ru"] not in page
    assert f"<h1>{TITLE['kk']}" in page


def test_the_officer_gives_the_wording_on_the_contracts_own_page(client):
    officer = factories.officer()
    contract = _russian_contract(officer)
    sign_in(client, officer)
    url = reverse("funding:contract_texts", args=[contract.number])
    assert url in client.get(contract.get_absolute_url()).text
    form = client.get(url).text
    assert TITLE["ru"] in form and 'lang="kk"' in form
    # Each milestone's own wording page is one step away.
    assert reverse("funding:milestone_texts", args=[contract.milestones.get().pk]) in form
    response = client.post(url, _texts(["kk", "ru", "en"]))
    assert response.status_code == 302 and response["Location"] == contract.get_absolute_url()
    contract.refresh_from_db()
    assert contract.title_en == TITLE["en"]
    refused = client.post(url, {**_texts(["kk"]), "title_kk": ""})
    assert refused.status_code == 200
    assert "Give the project&#x27;s title in at least one language." in refused.text
    contract.refresh_from_db()
    assert contract.title_kk == TITLE["kk"]


def test_the_header_search_finds_a_contract_by_its_translated_title_and_marks_a_fallback(client):
    officer = factories.officer()
    contract = _russian_contract(officer)
    found = client.get(reverse("core:search"), {"q": "лекции"})
    [group] = [group for group in found.context["groups"] if group["key"] == "contracts"]
    [hit] = group["hits"]
    assert hit.language == "ru" and TITLE["ru"] in hit.title
    assert f'lang="ru">{contract.number} · {TITLE["ru"]}</a> <small class="language-note"' in found.text
    services.translate_contract(actor=officer, contract=contract, **_texts(["kk", "ru", "en"]))
    groups = client.get(reverse("core:search"), {"q": "peace"}).context["groups"]
    [hit] = next(group for group in groups if group["key"] == "contracts")["hits"]
    assert hit.language == "" and TITLE["en"] in hit.title


# --- open data ----------------------------------------------------------------------------------------------------


def test_ocds_gives_the_contract_in_its_language_and_the_translations_beside_it(
    client, django_capture_on_commit_callbacks
):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = _russian_contract(officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.translate_contract(actor=officer, contract=contract, **_texts(["kk", "ru", "en"]))
    release = Release.objects.filter(contract=contract).order_by("-sequence").first().data
    assert release["language"] == "ru"
    published = release["contracts"][0]
    assert (published["title"], published["title_kk"], published["title_en"]) == (TITLE["ru"], TITLE["kk"], TITLE["en"])
    assert (published["description"], published["description_en"]) == (SUMMARY["ru"], SUMMARY["en"])
    assert release["awards"][0]["title"] == TITLE["ru"] and release["awards"][0]["title_kk"] == TITLE["kk"]
    package = json.loads(b"".join(client.get(reverse("funding:giving360_json")).streaming_content))
    [grant] = package["grants"]
    assert (grant["title"], grant["description"]) == (TITLE["en"], SUMMARY["en"])
