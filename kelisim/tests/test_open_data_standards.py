"""OCDS, 360Giving and IATI from the same rows, each valid against its official schema files (read from
settings.KELISIM_SCHEMAS_DIR), joined by the organisation identifiers KZ-BIN-<BIN>."""

import io
import json
from datetime import date
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from kelisim.activities import iati
from kelisim.activities import services as activity_services
from kelisim.activities.tests.factories import verified_report
from kelisim.core import standards
from kelisim.core.exports import BYTE_ORDER_MARK
from kelisim.funding import giving360
from kelisim.funding import services as funding_services
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories
from kelisim.plans.models import Indicator, IndicatorTarget
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(django_capture_on_commit_callbacks):
    """A contract serving a published plan item with an indicator and a target, and two verified activities
    reported against its first milestone."""
    officer = factories.officer()
    version = draft_with_items(items_per_strand=1)
    item = version.items.select_related("tracked").first()
    indicator = Indicator.objects.create(item=item, name_en="Young people reached", unit_en="people", baseline=0)
    IndicatorTarget.objects.create(indicator=indicator, year=date.today().year, value=100)
    activity_services.set_indicator_source(actor=officer, indicator=indicator, rule="participants")
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(actor=officer, status=Contract.Status.ACTIVE)
        contract.plan_items.set([item.tracked])
    milestone = contract.milestones.first()
    for _ in range(2):
        verified_report(
            organisation=contract.application.organisation,
            milestone=milestone,
            plan_item=item.tracked,
            start_date=date.today(),
        )
    return contract


def _json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def test_360giving_package_validates_and_joins_on_the_bin(client, funded):
    package = _json(client.get(reverse("funding:giving360_json")))
    assert standards.giving_errors(package) == []
    [grant] = package["grants"]
    bin_id = f"KZ-BIN-{funded.application.organisation.bin}"
    assert grant["recipientOrganization"][0]["id"] == bin_id
    assert grant["amountAwarded"] == float(funded.amount_kzt)
    assert grant["beneficiaryLocation"][0]["geoCode"] == funded.application.organisation.region.code
    ocds = _json(client.get(reverse("funding:ocds_releases")))
    assert ocds["releases"][-1]["parties"][1]["id"] == bin_id
    assert grant["fundingOrganization"][0]["id"] == ocds["releases"][-1]["buyer"]["id"]


def test_360giving_validator_rejects_a_grant_without_its_required_fields():
    errors = standards.giving_errors({"grants": [{"id": "360G-x-1", "title": "t"}]})
    assert errors and any("required" in error or "is not valid" in error for error in errors)


def _schema_titles() -> dict:
    """Spreadsheet column titles the 360Giving schema defines: "Title" and "Parent:Child" for arrays of objects."""
    schema = json.loads((standards.schema_dir(standards.GIVING_DIR) / "360-giving-schema.json").read_text())
    definitions = schema["$defs"]
    titles = {}
    for key, field in schema["properties"].items():
        title = field.get("title") or definitions.get(key, {}).get("title") or key.capitalize()
        titles[title] = (key, None)
        ref = (field.get("items") or {}).get("$ref", "")
        if ref.startswith("#/$defs/"):
            for child_key, child in definitions[ref.rsplit("/", 1)[1]].get("properties", {}).items():
                if child.get("title"):
                    titles[f"{title}:{child['title']}"] = (key, child_key)
    return titles


def test_360giving_spreadsheet_reads_back_as_a_valid_package(client, funded):
    """Each column of the spreadsheet form is titled as the schema titles the field; read back into JSON by those
    titles (as 360Giving's tools do), the rows make a valid package equal to the JSON export."""
    from openpyxl import load_workbook

    titles = _schema_titles()
    response = client.get(reverse("funding:giving360_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    grants = []
    for row in rows:
        grant: dict = {}
        for title, value in zip(header, row, strict=True):
            if value is None:
                continue
            key, child = titles[title]
            if child is None:
                grant[key] = value
            else:
                grant.setdefault(key, [{}])[0][child] = value
        grants.append(grant)
    assert standards.giving_errors({"grants": grants}) == []
    assert grants == _json(client.get(reverse("funding:giving360_json")))["grants"]
    csv_text = b"".join(client.get(reverse("funding:giving360_csv")).streaming_content).decode()
    assert csv_text.startswith(BYTE_ORDER_MARK + "Identifier,Title,")


def test_iati_activities_validate_with_results_and_join_on_the_bin(client, funded):
    xml = b"".join(client.get(reverse("activities:iati_activities")).streaming_content)
    assert standards.iati_errors(xml) == []
    root = ET.fromstring(xml)  # noqa: S314 - our own export
    [activity] = root.findall("iati-activity")
    organisation = funded.application.organisation
    implementing = activity.find("participating-org[@role='4']")
    assert implementing.get("ref") == f"KZ-BIN-{organisation.bin}"
    assert activity.find("transaction/value").text == str(int(funded.amount_kzt))
    year = str(date.today().year)
    periods = {
        indicator.find("title/narrative").text: [
            (p.find("period-start").get("iso-date")[:4], p.find("target"), p.find("actual"))
            for p in indicator.findall("period")
        ]
        for indicator in activity.iter("indicator")
    }
    [(period_year, target, actual)] = periods["Young people reached (people)"]
    assert period_year == year and target.get("value") == "100" and actual.get("value") == "48"
    [(_, _, events)] = periods["Events held"]
    assert events.get("value") == "2"
    [(_, _, people)] = periods["Participants (a count of 1 to 4 is not published)"]
    assert people.get("value") == "48"


def test_iati_validator_rejects_what_the_schema_rejects():
    errors = standards.iati_errors(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')
    assert errors


def test_iati_hides_a_small_participant_count(funded):
    from kelisim.activities.models import ActivityReport

    ActivityReport.objects.filter(milestone__contract=funded).update(
        female_14_18=1, male_14_18=0, female_30plus=0, participants=1
    )
    text = "".join(iati.document_stream())
    assert standards.iati_errors(text.encode()) == []
    activity = ET.fromstring(text.encode()).find("iati-activity")  # noqa: S314
    people = next(i for i in activity.iter("indicator") if i.find("title/narrative").text.startswith("Participants"))
    assert people.find("period/actual") is None


def test_open_data_exports_cost_a_fixed_number_of_queries(funded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        list(iati.document_stream())
    with django_assert_max_num_queries(6):
        list(giving360.package_stream(uri="https://example.kz/g.json"))


def test_iati_gives_the_contract_title_and_summary_in_each_language_it_has(client, funded):
    """Issue 16: the project's title and summary as the officer translated them, each narrative with its language."""
    officer = factories.officer()
    funding_services.translate_contract(
        actor=officer,
        contract=funded,
        title_kk="Студенттерге арналған бейбітшілік дәрістері",
        title_ru="Лекции о мире для студентов",
        title_en=funded.title_en,
        summary_kk="",
        summary_ru="Двадцать лекций с теологами.",
        summary_en=funded.summary_en,
    )
    xml = b"".join(client.get(reverse("activities:iati_activities")).streaming_content)
    assert standards.iati_errors(xml) == []
    [activity] = ET.fromstring(xml).findall("iati-activity")  # noqa: S314 - our own export
    titles = {n.get(iati.XML_LANG): n.text for n in activity.findall("title/narrative")}
    assert titles == {
        None: funded.title_en,
        "kk": "Студенттерге арналған бейбітшілік дәрістері",
        "ru": "Лекции о мире для студентов",
    }
    descriptions = {n.get(iati.XML_LANG): n.text for n in activity.findall("description/narrative")}
    assert descriptions == {None: funded.summary_en, "ru": "Двадцать лекций с теологами."}
