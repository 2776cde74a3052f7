"""The data catalogue lists every open-data export, harvestable as DCAT JSON-LD, and every CSV export follows
one encoding convention (UTF-8 with a byte-order mark) and carries stable codes."""

import csv
import io
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from kelisim.activities.selectors import available_years
from kelisim.activities.tests.factories import verified_report
from kelisim.consultations.tests import factories as consultation_factories
from kelisim.core import registry
from kelisim.core.exports import BYTE_ORDER_MARK
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories as funding_factories
from kelisim.plans import services as plan_services
from kelisim.plans.tests.factories import add_items, draft_with_items

pytestmark = pytest.mark.django_db

# Public export addresses (URL names) that are not datasets of their own: the same data as a catalogued
# file, for one object (a contract's own OCDS package) or for officers only.
NOT_DATASETS = {
    "funding:ocds_contract_release",
    "funding:ocds_contract_record",
    "activities:dashboard_internal_export",
    "activities:reports_export",
    "activities:import_template",
    "organisations:import_template",
    "sitemap",  # for search engines
    "sitemap_section",
    "publications:sitemap",
    "accounts:data_export",  # a person's own data
}
EXPORT_SUFFIXES = (".csv", ".json", ".xlsx", ".xml", ".jsonld", "export")


def _export_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("api", "admin"):
                continue
            names |= _export_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = str(pattern.pattern)
            if route.rstrip("$").endswith(EXPORT_SUFFIXES) or "<str:file_format>" in route:
                names.add(f"{namespace}{pattern.name}")
    return names


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    first = draft_with_items(items_per_strand=1)
    second = plan_services.start_version(actor=None, plan=first.plan, kind=first.kind, note="second")
    add_items(second, 1)
    plan_services.publish_version(actor=None, version=second)
    consultation_factories.suggestion(consultation_factories.open_version())
    with django_capture_on_commit_callbacks(execute=True):
        contract = funding_factories.signed_contract(status=Contract.Status.ACTIVE)
    verified_report()
    return {"plan": first.plan, "contract": contract}


def test_the_catalogue_lists_every_export(client, world):
    catalogue = client.get("/data/catalog.jsonld")
    assert catalogue["Content-Type"].startswith("application/ld+json")
    data = json.loads(catalogue.content)
    assert data["@type"] == "dcat:Catalog"
    listed = {
        distribution["dcat:downloadURL"]["@id"].split("://", 1)[1].split("/", 1)[1]
        for dataset in data["dcat:dataset"]
        for distribution in dataset["dcat:distribution"]
    }
    expected = set()
    translation.activate("en")
    for name in _export_names() - NOT_DATASETS:
        if name == "plans:export_csv" or name == "plans:export_json":
            expected |= {reverse(name, args=[n]).lstrip("/") for n in (1, 2)}
        elif name == "activities:dashboard_export":
            expected |= {reverse(name, args=[f]).lstrip("/") for f in ("csv", "xlsx")}
        elif name == "reports:yearly_xlsx":
            expected |= {reverse(name, args=[year]).lstrip("/") for year in available_years()}
        elif name == "data_catalogue_jsonld":
            continue
        else:
            expected.add(reverse(name).lstrip("/"))
    assert expected - listed == set(), "exports missing from the data catalogue"
    for dataset in data["dcat:dataset"]:
        assert dataset["dct:license"]["@id"].startswith("https://creativecommons.org/")
        assert dataset["dcat:distribution"], dataset["dct:identifier"]
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dct:format"] and distribution["dcat:mediaType"]
    modified = {d["dct:identifier"]: d.get("dct:modified") for d in data["dcat:dataset"]}
    assert modified["contracts-ocds"] and modified["action-plan"] and modified["activities"]


def test_the_catalogue_page_shows_licence_files_and_column_dictionary(client, world):
    page = client.get("/en/data/").content.decode()
    for dataset in registry.datasets():
        assert f'id="{dataset.key}"' in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
    assert "CC BY 4.0" in page and "/en/plan/v2.csv" in page
    assert client.get("/data/").status_code == 302  # to the reader's language


def test_every_csv_export_is_utf8_with_a_byte_order_mark_and_carries_codes(client, world):
    region = world["contract"].application.organisation.region
    bodies = {
        "suggestions": b"".join(client.get(reverse("consultations:export_csv")).streaming_content),
        "plan": client.get(reverse("plans:export_csv", args=[2])).content,
        "activities": client.get(reverse("activities:dashboard_export", args=["csv"])).content,
        "organisations": b"".join(client.get(reverse("organisations:export")).streaming_content),
        "grants": b"".join(client.get(reverse("funding:giving360_csv")).streaming_content),
    }
    for name, body in bodies.items():
        assert body.startswith(BYTE_ORDER_MARK.encode()), name
        body.decode("utf-8")
    activities = list(csv.reader(io.StringIO(bodies["activities"].decode("utf-8-sig"))))
    assert activities[0][0] == "region_code" and activities[1][0] == "KZ-31"
    organisations = list(csv.DictReader(io.StringIO(bodies["organisations"].decode("utf-8-sig"))))
    assert region.code in {row["region"] for row in organisations}
    assert world["contract"].application.organisation.bin in {row["bin"] for row in organisations}


def test_plan_version_files_differ_and_say_their_version(client, world):
    first = client.get(reverse("plans:export_csv", args=[1])).content
    second = client.get(reverse("plans:export_csv", args=[2])).content
    assert first != second
    for number, body in ((1, first), (2, second)):
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert {row["version"] for row in rows} == {str(number)}
        assert {row["plan"] for row in rows} == {world["plan"].slug}
        assert all(row["strand"] and row["strand_name"] for row in rows)
