"""Contracts, milestones, amendments and milestone reports (funding/services/contracts.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.funding import selectors, services
from kelisim.funding.models import Contract, Milestone, MilestoneReport
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_contract_from_approved_application_links_the_calls_plan_items():
    contract = factories.signed_contract()
    assert contract.amount_kzt == Decimal(1_000_000)
    assert contract.number.startswith("KLS-")
    assert contract.signed_on == timezone.localdate()


def test_only_approved_applications_become_contracts():
    with pytest.raises(ValidationError):
        services.create_contract(
            actor=factories.officer(),
            application=factories.submitted_application(),
            period_start=date(2017, 3, 1),
            period_end=date(2017, 12, 1),
        )


def test_tranches_cannot_exceed_the_amount():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    with pytest.raises(ValidationError):
        services.add_milestone(
            actor=officer,
            contract=contract,
            title_en="Too much",
            deliverables_en="x",
            due_date=contract.period_start,
            tranche_kzt=Decimal(900_000),
        )


def test_amendment_is_a_new_version_with_reason():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    amendment = services.amend_contract(
        actor=officer, contract=contract, reason="More regions", amount_kzt=Decimal(1_200_000)
    )
    contract.refresh_from_db()
    assert contract.version == 2 and amendment.version == 2
    assert amendment.changes == {"amount_kzt": {"from": "1000000", "to": "1200000"}}
    assert contract.history.first().history_change_reason.startswith("amendment v2")


def test_milestone_report_accepted_or_returned():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    holder = contract.application.submitted_by
    milestone = contract.milestones.first()
    report = services.submit_milestone_report(
        actor=holder, milestone=milestone, narrative="Ten lectures held.", files=[factories.pdf("photos.pdf")]
    )
    assert report.evidence.count() == 1
    with pytest.raises(ValidationError):
        services.decide_milestone_report(actor=officer, report=report, accept=False, note="")
    services.decide_milestone_report(actor=officer, report=report, accept=False, note="Add the attendance sheet.")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RETURNED
    again = services.submit_milestone_report(actor=holder, milestone=milestone, narrative="With the sheet.")
    services.decide_milestone_report(actor=officer, report=again, accept=True)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.ACCEPTED
    assert MilestoneReport.objects.filter(milestone=milestone).count() == 2


def test_outsiders_cannot_report():
    contract = factories.signed_contract()
    with pytest.raises(PermissionDenied):
        services.submit_milestone_report(actor=UserFactory(), milestone=contract.milestones.first(), narrative="x")


def test_overdue_milestones_are_listed():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    Milestone.objects.filter(pk=contract.milestones.first().pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    overdue = list(selectors.overdue_milestones())
    assert [m.contract for m in overdue] == [contract]
    assert overdue[0].is_overdue


def test_signing_needs_a_milestone():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer, milestones=0, status=Contract.Status.DRAFT)
    with pytest.raises(ValidationError, match="milestone"):
        services.transition_contract(actor=officer, contract=contract, to=Contract.Status.SIGNED)
