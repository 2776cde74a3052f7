"""OCDS exports, validated against the official OCDS 1.1.5 schemas shipped in kelisim/funding/ocds_schema."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from kelisim.funding import ocds, services
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def _body(response) -> dict:
    assert response.streaming, "OCDS packages are streamed"
    return json.loads(b"".join(response.streaming_content))


def test_the_validator_rejects_what_the_standard_rejects():
    """The shipped schema really validates: a release without its required fields fails."""
    package = {
        "uri": "https://example.kz/p.json",
        "version": "1.1",
        "publisher": {"name": "x"},
        "publishedDate": "2017-02-10T10:00:00+06:00",
        "releases": [{"ocid": "ocds-x-1"}],
    }
    errors = ocds.validation_errors(package, "release-package")
    assert any("'id' is a required property" in error for error in errors)
    assert any("'tag' is a required property" in error for error in errors)


def test_contract_release_package_validates(client):
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    services.amend_contract(actor=officer, contract=contract, reason="Two more regions", amount_kzt=Decimal(1_100_000))
    package = _body(client.get(reverse("funding:ocds_contract_release", args=[contract.number])))
    assert ocds.validation_errors(package, "release-package") == []
    release = package["releases"][0]
    assert release["ocid"] == f"ocds-kelisim-{contract.number}"
    assert release["tag"] == ["contractAmendment"]
    assert release["contracts"][0]["value"] == {"amount": 1_100_000.0, "currency": "KZT"}
    assert len(release["contracts"][0]["milestones"]) == 2
    assert release["contracts"][0]["amendments"][0]["rationale"] == "Two more regions"


def test_contract_record_package_validates(client):
    contract = factories.signed_contract(status=Contract.Status.ACTIVE)
    package = _body(client.get(reverse("funding:ocds_contract_record", args=[contract.number])))
    assert ocds.validation_errors(package, "record-package") == []
    record = package["records"][0]
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert record["releases"][0]["tag"] == ["implementation"]


def test_bulk_packages_validate_and_leave_drafts_out(client):
    officer = factories.officer()
    first = factories.signed_contract(actor=officer)
    factories.signed_contract(actor=officer, call=first.application.call, status=Contract.Status.DRAFT)
    releases = _body(client.get(reverse("funding:ocds_releases")))
    records = _body(client.get(reverse("funding:ocds_records")))
    assert ocds.validation_errors(releases, "release-package") == []
    assert ocds.validation_errors(records, "record-package") == []
    assert [r["contracts"][0]["id"] for r in releases["releases"]] == [first.number]


def test_ocid_prefix_is_configurable(client, settings):
    settings.KELISIM_OCID_PREFIX = "ocds-abc123"
    contract = factories.signed_contract()
    package = _body(client.get(reverse("funding:ocds_contract_release", args=[contract.number])))
    assert package["releases"][0]["ocid"] == f"ocds-abc123-{contract.number}"


def test_draft_contract_has_no_public_export(client):
    contract = factories.signed_contract(status=Contract.Status.DRAFT)
    assert client.get(reverse("funding:ocds_contract_release", args=[contract.number])).status_code == 404


def test_bulk_export_queries_do_not_grow(django_assert_max_num_queries):
    officer = factories.officer()
    call = factories.signed_contract(actor=officer).application.call
    for _ in range(3):
        factories.signed_contract(actor=officer, call=call)
    with django_assert_max_num_queries(8):
        text = "".join(ocds.release_package_stream(uri="https://example.kz/x.json"))
    assert len(json.loads(text)["releases"]) == 4
