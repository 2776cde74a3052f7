"""Every allowed and every forbidden move of every funding workflow."""

from decimal import Decimal
from itertools import product

import pytest
from django.core.exceptions import ValidationError

from kelisim.funding import services
from kelisim.funding.models import Application, Call, Contract, Milestone, ReviewAssignment
from kelisim.funding.tests import factories

# The tables as the issue describes them; a change to a table must change this file too.
EXPECTED = {
    "contract": {
        ("draft", "signed"),
        ("draft", "terminated"),
        ("signed", "active"),
        ("signed", "terminated"),
        ("active", "completed"),
        ("active", "suspended"),
        ("active", "terminated"),
        ("suspended", "active"),
        ("suspended", "terminated"),
    },
    "application": {
        ("draft", "submitted"),
        ("submitted", "changes_requested"),
        ("submitted", "approved"),
        ("submitted", "rejected"),
        ("changes_requested", "submitted"),
    },
    "call": {("draft", "published"), ("draft", "cancelled"), ("published", "cancelled")},
    "assignment": {("assigned", "submitted"), ("assigned", "conflicted")},
    "milestone": {
        ("pending", "reported"),
        ("reported", "accepted"),
        ("reported", "returned"),
        ("returned", "reported"),
    },
}
TABLES = {
    "contract": (Contract.WORKFLOW.table, Contract.Status.values),
    "application": (Application.WORKFLOW.table, Application.Status.values),
    "call": (Call.WORKFLOW.table, Call.Status.values),
    "assignment": (ReviewAssignment.WORKFLOW.table, ReviewAssignment.Status.values),
    "milestone": (Milestone.WORKFLOW.table, Milestone.Status.values),
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_transition_tables_are_as_specified(name):
    table, states = TABLES[name]
    assert set(table) == set(states), "every state has a row"
    assert {(source, target) for source, targets in table.items() for target in targets} == EXPECTED[name]


CONTRACT_PAIRS = list(product(Contract.Status.values, Contract.Status.values))


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), CONTRACT_PAIRS, ids=[f"{s}->{t}" for s, t in CONTRACT_PAIRS])
def test_every_contract_move_through_the_service(source, target):
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer, milestones=1, status=Contract.Status.DRAFT)
    Contract.objects.filter(pk=contract.pk).update(status=source)
    allowed = (source, target) in EXPECTED["contract"]
    if allowed:
        moved = services.transition_contract(actor=officer, contract=contract, to=target, reason="test")
        assert moved.status == target
        assert moved.history.first().history_change_reason == "test"
    else:
        with pytest.raises(ValidationError):
            services.transition_contract(actor=officer, contract=contract, to=target, reason="test")
        contract.refresh_from_db()
        assert contract.status == source


APPLICATION_PAIRS = list(product(Application.Status.values, [s for s in Application.Status.values if s != "draft"]))


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), APPLICATION_PAIRS, ids=[f"{s}->{t}" for s, t in APPLICATION_PAIRS])
def test_every_application_move_through_the_services(source, target):
    officer = factories.officer()
    call = factories.open_call(actor=officer)
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    if target in ("approved", "rejected"):
        # Approving and rejecting wait for two reviews: give every source state its reviews, so that only
        # the transition table decides here (the review rule has its own tests in test_services).
        application = services.submit_application(actor=applicant, application=application)
        factories.two_reviews(application, officer)
    Application.objects.filter(pk=application.pk).update(status=source)
    application.refresh_from_db()
    allowed = (source, target) in EXPECTED["application"]

    def move():
        if target == "submitted":
            return services.submit_application(actor=applicant, application=application)
        decision = {"approved": "approve", "rejected": "reject", "changes_requested": "changes"}[target]
        return services.determine_application(
            actor=officer, application=application, decision=decision, reason="why", amount_kzt=Decimal(1_000_000)
        )

    if allowed:
        assert move().status == target
    else:
        with pytest.raises(ValidationError):
            move()
        application.refresh_from_db()
        assert application.status == source


@pytest.mark.django_db
def test_a_submitted_review_cannot_be_changed_or_turned_into_a_conflict():
    officer = factories.officer()
    application = factories.submitted_application()
    person = factories.reviewer()
    factories.reviewed_application(application, officer, [person])
    assignment = ReviewAssignment.objects.get(reviewer=person)
    with pytest.raises(ValidationError):
        services.declare_conflict(actor=person, assignment=assignment, note="Late")
    with pytest.raises(ValidationError):
        services.submit_review(actor=person, assignment=assignment, scores={})


@pytest.mark.django_db
def test_an_accepted_milestone_takes_no_more_reports():
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer, milestones=1)
    milestone = contract.milestones.get()
    holder = contract.application.submitted_by
    report = services.submit_milestone_report(actor=holder, milestone=milestone, narrative="Done")
    services.decide_milestone_report(actor=officer, report=report, accept=True)
    with pytest.raises(ValidationError):
        services.submit_milestone_report(actor=holder, milestone=milestone, narrative="Again")
    with pytest.raises(ValidationError):
        services.decide_milestone_report(actor=officer, report=report, accept=False, note="changed my mind")


@pytest.mark.django_db
def test_a_cancelled_call_stays_cancelled():
    officer = factories.officer()
    call = factories.open_call(actor=officer)
    services.transition_call(actor=officer, call=call, to=Call.Status.CANCELLED, reason="Budget cut")
    for target in (Call.Status.PUBLISHED, Call.Status.DRAFT):
        with pytest.raises(ValidationError):
            services.transition_call(actor=officer, call=call, to=target)
