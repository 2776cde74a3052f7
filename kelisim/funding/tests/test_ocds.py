"""OCDS exports: a release per change of a contracting process, validated against the official OCDS 1.1.5
schema files read from settings.KELISIM_SCHEMAS_DIR (../shared/schemas, never copied into the project)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from kelisim.funding import ocds, services
from kelisim.funding.models import Contract, Milestone, Release
from kelisim.funding.tests import factories
from kelisim.organisations import services as organisation_services

pytestmark = pytest.mark.django_db


def _body(response) -> dict:
    assert response.streaming, "OCDS packages are streamed"
    return json.loads(b"".join(response.streaming_content))


def test_the_validator_rejects_what_the_standard_rejects():
    """The official schema really validates: a release without its required fields fails."""
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


def _releases(contract) -> list[dict]:
    return list(Release.objects.filter(contract=contract).order_by("sequence").values_list("data", flat=True))


def test_every_change_of_the_funding_journey_publishes_a_release(client, django_capture_on_commit_callbacks):
    """Replays a contract's life through the services, committing each step as a request would: each step
    that changes the public content adds exactly one release (new id, later date); the others add none."""
    officer = factories.officer()
    steps = []

    def step(name, change, *, publishes=True):
        before = Release.objects.count()
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        assert Release.objects.count() == before + (1 if publishes else 0), name
        steps.append(name)
        return result

    contract = step("drafted", lambda: factories.signed_contract(actor=officer, status="draft"), publishes=False)
    contract = step("signed", lambda: services.transition_contract(actor=officer, contract=contract, to="signed"))
    step("started", lambda: services.transition_contract(actor=officer, contract=contract, to="active"))
    step(
        "milestone added",
        lambda: services.add_milestone(
            actor=officer,
            contract=contract,
            title_en="Closing conference",
            deliverables_en="A conference and its report",
            due_date=contract.period_start + timedelta(days=250),
            tranche_kzt=Decimal(100_000),
        ),
    )
    milestone = contract.milestones.order_by("due_date").first()
    applicant = contract.application.submitted_by
    report = step(
        "report submitted",
        lambda: services.submit_milestone_report(actor=applicant, milestone=milestone, narrative="Ten lectures held."),
        publishes=False,
    )
    step("report accepted", lambda: services.decide_milestone_report(actor=officer, report=report, accept=True))
    step(
        "amended",
        lambda: services.amend_contract(
            actor=officer, contract=contract, reason="Two more regions", amount_kzt=Decimal(1_100_000)
        ),
    )
    organisation = contract.application.organisation
    step(
        "organisation renamed",
        lambda: organisation_services.update_organisation(
            actor=officer, organisation=organisation, data={"name_ru": "Согласие (новое имя)"}
        ),
    )
    step(
        "terminated",
        lambda: services.transition_contract(actor=officer, contract=contract, to="terminated", reason="Closed early"),
    )

    releases = _releases(contract)
    assert [r["tag"] for r in releases] == [
        ["tender", "award", "contract"],
        ["implementation"],
        ["implementationUpdate"],
        ["implementationUpdate"],
        ["contractAmendment"],
        ["implementationUpdate"],
        ["contractTermination"],
    ]
    assert len({r["id"] for r in releases}) == len(releases)
    dates = [r["date"] for r in releases]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    accepted = releases[3]["contracts"][0]["milestones"]
    assert [m["status"] for m in accepted] == ["met", "scheduled", "scheduled"]
    assert accepted[0]["dateMet"] is not None
    assert releases[2]["contracts"][0]["milestones"][0]["status"] == "scheduled"

    record = _body(client.get(reverse("funding:ocds_contract_record", args=[contract.number])))
    assert ocds.validation_errors(record, "record-package") == []
    assert [r["id"] for r in record["records"][0]["releases"]] == [r["id"] for r in releases]
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["date"] == releases[-1]["date"]
    assert compiled["contracts"][0]["value"]["amount"] == 1_100_000.0
    assert compiled["contracts"][0]["status"] == "terminated"
    package = _body(client.get(reverse("funding:ocds_releases")))
    assert ocds.validation_errors(package, "release-package") == []
    assert [r["id"] for r in package["releases"]] == [r["id"] for r in releases]
    assert package["publishedDate"] == releases[-1]["date"]


def test_a_published_release_is_never_rewritten(django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(actor=officer)
    first = Release.objects.get(contract=contract)
    kept = json.dumps(first.data, sort_keys=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.amend_contract(actor=officer, contract=contract, reason="More", amount_kzt=Decimal(1_200_000))
    first.refresh_from_db()
    assert json.dumps(first.data, sort_keys=True) == kept
    assert first.data["contracts"][0]["value"]["amount"] == 1_000_000.0
    assert services.publish_release(contract=contract) is None, "unchanged content publishes nothing"


def test_a_rolled_back_change_publishes_nothing(django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(actor=officer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception):  # noqa: B017
        services.amend_contract(actor=officer, contract=contract, reason="Nothing", amount_kzt=contract.amount_kzt)
    assert callbacks == []
    assert Release.objects.filter(contract=contract).count() == 1


def test_each_milestone_once_and_the_language_of_the_text(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(status=Contract.Status.ACTIVE)
    release = _body(client.get(reverse("funding:ocds_contract_release", args=[contract.number])))["releases"][-1]
    text = json.dumps(release)
    for milestone in Milestone.objects.filter(contract=contract):
        assert text.count(f'"{contract.number}-m{milestone.pk}"') == 1
    assert "implementation" not in release["contracts"][0]
    application = contract.application
    assert application.title.isascii() and release["language"] == "en"
    call = application.call
    tender = release["tender"]
    assert tender["title"] == (call.title_en or call.title_ru)
    if call.title_ru:
        assert tender["title_ru"] == call.title_ru


def test_russian_text_makes_a_russian_release(django_capture_on_commit_callbacks):
    officer = factories.officer()
    application = factories.approved_application(actor=officer)
    application.__class__.objects.filter(pk=application.pk).update(
        title="Встречи со студентами в регионах", summary="Лекции и встречи"
    )
    with django_capture_on_commit_callbacks(execute=True):
        contract = services.create_contract(
            actor=officer,
            application=application,
            period_start=application.call.closes_at.date(),
            period_end=application.call.closes_at.date() + timedelta(days=100),
        )
        services.add_milestone(
            actor=officer,
            contract=contract,
            title_ru="Этап",
            deliverables_ru="Отчёт",
            due_date=contract.period_start + timedelta(days=10),
        )
        services.transition_contract(actor=officer, contract=contract, to="signed")
    release = _releases(contract)[0]
    assert release["language"] == "ru"
    assert release["parties"][1]["name"] == (application.organisation.name_ru or application.organisation.name)


def test_contract_release_package_validates(client, django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(actor=officer)
        services.amend_contract(
            actor=officer, contract=contract, reason="Two more regions", amount_kzt=Decimal(1_100_000)
        )
    package = _body(client.get(reverse("funding:ocds_contract_release", args=[contract.number])))
    assert ocds.validation_errors(package, "release-package") == []
    release = package["releases"][-1]
    assert release["ocid"] == f"{ocds.ocid_prefix()}-{contract.number}"
    assert release["contracts"][0]["value"] == {"amount": 1_100_000.0, "currency": "KZT"}
    assert len(release["contracts"][0]["milestones"]) == 2
    assert release["contracts"][0]["amendments"][0]["rationale"] == "Two more regions"
    assert release["parties"][1]["id"] == f"KZ-BIN-{contract.application.organisation.bin}"


def test_bulk_packages_validate_and_leave_drafts_out(client, django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        first = factories.signed_contract(actor=officer)
        factories.signed_contract(actor=officer, call=first.application.call, status=Contract.Status.DRAFT)
    releases = _body(client.get(reverse("funding:ocds_releases")))
    records = _body(client.get(reverse("funding:ocds_records")))
    assert ocds.validation_errors(releases, "release-package") == []
    assert ocds.validation_errors(records, "record-package") == []
    assert [r["contracts"][0]["id"] for r in releases["releases"]] == [first.number]


def test_ocid_prefix_is_a_setting(client, settings, django_capture_on_commit_callbacks):
    settings.KELISIM_OCID_PREFIX = "ocds-abc123"
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract()
    package = _body(client.get(reverse("funding:ocds_contract_release", args=[contract.number])))
    assert package["releases"][0]["ocid"] == f"ocds-abc123-{contract.number}"
    assert package["releases"][0]["id"] == f"ocds-abc123-{contract.number}-r1"


def test_draft_contract_has_no_public_export(client):
    contract = factories.signed_contract(status=Contract.Status.DRAFT)
    assert client.get(reverse("funding:ocds_contract_release", args=[contract.number])).status_code == 404
    assert services.publish_release(contract=contract) is None


def test_bulk_export_queries_do_not_grow(django_assert_max_num_queries, django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        call = factories.signed_contract(actor=officer).application.call
        active = [factories.signed_contract(actor=officer, call=call, status=Contract.Status.ACTIVE) for _ in range(3)]
    for contract in active:
        with django_capture_on_commit_callbacks(execute=True):
            services.amend_contract(actor=officer, contract=contract, reason="More", amount_kzt=Decimal(1_300_000))
    with django_assert_max_num_queries(3):
        releases = json.loads("".join(ocds.release_package_stream(uri="https://example.kz/x.json")))
    with django_assert_max_num_queries(3):
        records = json.loads("".join(ocds.record_package_stream(uri="https://example.kz/y.json")))
    assert len(releases["releases"]) == 7
    assert [len(r["releases"]) for r in records["records"]] == [1, 2, 2, 2]
