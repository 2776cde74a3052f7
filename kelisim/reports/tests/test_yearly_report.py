"""The yearly implementation report: page, PDF (kk/ru/en, its text checked for the page's figures) and XLSX."""

import io
from datetime import date

import pytest
from django.urls import reverse

from kelisim.activities import services as activity_services
from kelisim.activities.tests.factories import verified_report
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories as funding_factories
from kelisim.plans import services as plan_services
from kelisim.plans.models import Indicator, IndicatorTarget
from kelisim.plans.tests.factories import draft_with_items
from kelisim.reports import yearly

pytestmark = pytest.mark.django_db
YEAR = date.today().year
HEADINGS = {"en": "Indicators against targets", "ru": "Показатели и цели", "kk": "Көрсеткіштер мен мақсаттар"}


@pytest.fixture
def year_of_work():
    officer = funding_factories.officer()
    version = draft_with_items(items_per_strand=1)
    item = version.items.select_related("tracked").first()
    indicator = Indicator.objects.create(item=item, name_en="Young people reached", unit_en="people", baseline=0)
    IndicatorTarget.objects.create(indicator=indicator, year=YEAR, value=100)
    activity_services.set_indicator_source(actor=officer, indicator=indicator, rule="participants")
    contract = funding_factories.signed_contract(actor=officer, status=Contract.Status.ACTIVE)
    for _ in range(2):
        verified_report(plan_item=item.tracked, start_date=date(YEAR, 1, 15))
    verified_report(start_date=date(YEAR, 2, 1), female_14_18=1, male_14_18=0, female_30plus=0)
    plan_services.record_progress(
        actor=None, tracked=item.tracked, status="in_progress", note="Forty lectures in village schools.", progress=40
    )
    return {"contract": contract, "item": item, "indicator": indicator}


def test_the_report_gathers_the_year(year_of_work):
    data = yearly.report(YEAR)
    [indicator] = [row for row in data["indicators"] if row["name"] == "Young people reached"]
    assert (indicator["target"], indicator["actual"]) == ("100", "48")
    assert [row["number"] for row in data["contracts"]] == [year_of_work["contract"].number]
    assert data["contract_amount"] == year_of_work["contract"].amount_kzt
    assert data["by_region"]["events"] == 3
    assert data["by_region"]["participants"] == "49"
    codes = {row["code"]: row for row in data["items"]}
    assert codes[year_of_work["item"].tracked.code]["note"] == "Forty lectures in village schools."
    assert {row["code"]: row["count"] for row in data["items_by_status"]}["in_progress"] == 1


def test_small_counts_stay_hidden(year_of_work):
    """Only the one-person activity in its own strand: shown as <5 as on the dashboards."""
    data = yearly.report(YEAR)
    labels = {row["code"]: row["participants"] for row in data["by_strand"]["rows"]}
    assert "1" not in labels.values()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_page_pdf_and_xlsx_show_the_same_figures(client, year_of_work, language):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    path = reverse("reports:yearly", args=[YEAR])[3:]
    page = client.get(f"/{language}{path}").content.decode()
    response = client.get(f"/{language}{path}report.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    contract = year_of_work["contract"]
    for shown in (page, text):
        assert HEADINGS[language] in shown
        assert contract.number in shown and str(contract.amount_kzt) in shown
        assert year_of_work["item"].tracked.code in shown
        assert "Forty lectures in village schools." in shown
        assert "KZ-31" in shown and "48" in shown and "49" in shown
    book = load_workbook(io.BytesIO(client.get(f"/{language}{path}report.xlsx").content))
    assert book.sheetnames == [
        "indicators",
        "contracts",
        "activities_by_region",
        "activities_by_strand",
        "plan_items",
    ]
    contracts = list(book["contracts"].iter_rows(values_only=True))
    assert contracts[1][:3] == (YEAR, contract.number, contract.application.organisation.bin)


def test_an_unlikely_year_is_not_found(client):
    assert client.get(reverse("reports:yearly", args=[1990])).status_code == 404
