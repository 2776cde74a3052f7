"""Funding and a person's data: "Download my data", and deleting an account through the accounts service.

Deleting a reviewer, an applicant or an officer must not make any official record vanish (reviews behind a
decision, applications, contracts, reports) and must not break the pages that show them."""

import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from kelisim.accounts import services as account_services
from kelisim.accounts.models import User
from kelisim.accounts.tests.factories import sign_in
from kelisim.core.registry import account_erasers, personal_data_exporters
from kelisim.funding import ocds, personal_data, selectors, services
from kelisim.funding.models import (
    Application,
    ApplicationRevision,
    Attachment,
    Contract,
    MilestoneReport,
    ReviewAssignment,
    Score,
)
from kelisim.funding.tests import factories
from kelisim.organisations.models import Membership

pytestmark = pytest.mark.django_db


def _delete(user) -> None:
    account_services.delete_account(actor=user, user=user)
    assert not User.objects.filter(pk=user.pk).exists()


def test_funding_registers_an_exporter_and_an_eraser():
    assert "funding" in personal_data_exporters()
    assert account_erasers()["funding"] is personal_data.erase_personal_data


def test_export_lists_the_applications_written_and_the_reviews():
    officer = factories.officer()
    application = factories.submitted_application()
    writer = application.submitted_by
    person = factories.reviewer(display_name="Aigerim Reviewer")
    factories.reviewed_application(application, officer, [person])
    review = personal_data_exporters()["funding"](person)["reviews"][0]
    assert review["name_on_the_record"] == "Aigerim Reviewer"
    assert [(s["criterion"], s["score"]) for s in review["scores"]] == [("Relevance", 8), ("Value for money", 6)]
    written = personal_data_exporters()["funding"](writer)["applications"]
    assert [(a["title"], a["started_by_you"], a["revisions_you_submitted"]) for a in written] == [
        (application.title, True, [1])
    ]
    assert personal_data_exporters()["funding"](officer) == {"applications": [], "milestone_reports": [], "reviews": []}


def test_the_whole_download_is_json():
    """The accounts page serialises every app's export: nothing in funding's may be a date or a Decimal."""
    contract = factories.signed_contract()
    holder = contract.application.submitted_by
    services.submit_milestone_report(actor=holder, milestone=contract.milestones.first(), narrative="Done.")
    data = account_services.export_personal_data(actor=holder, user=holder)
    assert json.loads(json.dumps(data))["funding"]["milestone_reports"][0]["narrative"] == "Done."


def test_deleting_a_reviewer_keeps_the_reviews_behind_decisions(client):
    officer = factories.officer()
    person = factories.reviewer(display_name="Rustem Reviewer")
    decided = factories.submitted_application()
    factories.reviewed_application(decided, officer, [person, factories.reviewer()])
    services.determine_application(
        actor=officer, application=decided, decision="approve", reason="Clear plan.", amount_kzt=Decimal(900_000)
    )
    open_one = factories.submitted_application(call=decided.call)
    services.assign_reviewer(actor=officer, application=open_one, reviewer=person)
    declared_on = factories.submitted_application(call=decided.call)
    declared = services.assign_reviewer(actor=officer, application=declared_on, reviewer=person)
    services.declare_conflict(actor=person, assignment=declared, note="I chair its board.")

    _delete(person)

    kept = ReviewAssignment.objects.get(application=decided, reviewer_name="Rustem Reviewer")
    assert kept.reviewer is None and kept.status == ReviewAssignment.Status.SUBMITTED
    assert Score.objects.filter(assignment=kept).count() == 2
    assert kept.history.first().history_change_reason == "account erased"
    # The open assignment is work nobody will do: gone, so the application is short of a reviewer again.
    assert not ReviewAssignment.objects.filter(application=open_one).exists()
    assert ReviewAssignment.objects.get(application=declared_on).conflict_note == "I chair its board."
    # The decision still rests on two reviews, and the officer's pages still name who gave them.
    row = next(r for r in selectors.ranking(decided.call) if r.application == decided)
    assert row.submitted_reviews == 2
    sign_in(client, officer)
    page = client.get(decided.get_absolute_url()).content.decode()
    assert "Rustem Reviewer" in page and "account deleted" in page
    ranking = client.get(reverse("funding:ranking", args=[decided.call.reference])).content.decode()
    assert "Rustem Reviewer" in ranking


def test_deleting_an_applicant_keeps_the_application_contract_and_reports(client, django_capture_on_commit_callbacks):
    officer = factories.officer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = factories.signed_contract(actor=officer, status=Contract.Status.ACTIVE)
    application = contract.application
    writer = application.submitted_by
    colleague = factories.member(application.organisation, role=Membership.Role.MEMBER)
    services.submit_milestone_report(
        actor=writer, milestone=contract.milestones.first(), narrative="Ten lectures.", files=[factories.pdf()]
    )
    attachment = Attachment.objects.create(
        application=application,
        file=factories.pdf(),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=writer,
    )

    _delete(writer)

    application = Application.objects.get(pk=application.pk)
    assert application.submitted_by is None and application.created_by is None
    assert ApplicationRevision.objects.get(application=application).submitted_by is None
    assert Attachment.objects.get(pk=attachment.pk).uploaded_by is None
    assert MilestoneReport.objects.get(milestone__contract=contract).submitted_by is None
    assert Contract.objects.filter(pk=contract.pk).exists()
    sign_in(client, colleague)
    assert client.get(application.get_absolute_url()).status_code == 200
    assert client.get(contract.get_absolute_url()).status_code == 200
    package = json.loads(b"".join(client.get(reverse("funding:ocds_contract_record", args=[contract.number]))))
    assert ocds.validation_errors(package, "record-package") == []
    assert len(package["records"][0]["releases"]) == 1


def test_deleting_an_officer_keeps_calls_decisions_and_contracts(client):
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer, call=factories.open_call(actor=officer))
    report = services.submit_milestone_report(
        actor=contract.application.submitted_by, milestone=contract.milestones.first(), narrative="Done."
    )
    services.decide_milestone_report(actor=officer, report=report, accept=True)
    services.amend_contract(actor=officer, contract=contract, reason="More regions", amount_kzt=Decimal(1_200_000))
    call = contract.application.call

    _delete(officer)

    call.refresh_from_db()
    contract.refresh_from_db()
    assert call.created_by is None and contract.created_by is None
    assert contract.amendments.get().created_by is None
    assert MilestoneReport.objects.get(pk=report.pk).decided_by is None
    assert ReviewAssignment.objects.filter(application=contract.application, assigned_by=None).count() == 2
    assert contract.application.status == Application.Status.APPROVED
    sign_in(client, factories.officer())
    assert client.get(contract.application.get_absolute_url()).status_code == 200
    assert client.get(reverse("funding:ranking", args=[call.reference])).status_code == 200
    assert client.get(reverse("funding:dashboard")).status_code == 200


def test_the_migration_names_the_reviewers_of_existing_assignments():
    officer = factories.officer()
    application = factories.submitted_application()
    person = factories.reviewer(display_name="Saule Reviewer")
    nameless = factories.reviewer(display_name="")
    for reviewer in (person, nameless):
        factories.assignment_for(application, reviewer, actor=officer)
    ReviewAssignment.objects.update(reviewer_name="")  # as the rows were before the column existed
    migration = importlib.import_module("kelisim.funding.migrations.0002_reviewer_survives_account_deletion")
    migration.snapshot_reviewer_names(apps, None)
    names = dict(ReviewAssignment.objects.values_list("reviewer_id", "reviewer_name"))
    assert names == {person.pk: "Saule Reviewer", nameless.pk: nameless.email}
