"""Reviewer assignment, conflicts and scores (funding/services/review.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kelisim.accounts.tests.factories import UserFactory
from kelisim.core.models import OutboxEmail
from kelisim.funding import rules, selectors, services
from kelisim.funding.models import ReviewAssignment
from kelisim.funding.tests import factories
from kelisim.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_member_reviewer_is_flagged_and_cannot_score():
    officer = factories.officer()
    application = factories.submitted_application()
    insider = factories.reviewer()
    Membership.objects.create(user=insider, organisation=application.organisation, status=Membership.Status.ACTIVE)
    assignment = services.assign_reviewer(actor=officer, application=application, reviewer=insider)
    assert assignment.automatic_conflict and assignment.status == ReviewAssignment.Status.CONFLICTED
    # As a member they may still read their own organisation's application, but never as its reviewer.
    assert rules.visible_assignment(insider, application) is None
    assert not selectors.review_assignments_for(insider).exists()
    with pytest.raises(PermissionDenied):
        services.submit_review(actor=insider, assignment=assignment, scores={})


def test_manual_assignment_takes_only_active_reviewers():
    officer = factories.officer()
    application = factories.submitted_application()
    with pytest.raises(ValidationError, match="is not a reviewer"):
        services.assign_reviewer(actor=officer, application=application, reviewer=UserFactory())
    retired = factories.reviewer(is_active=False)
    with pytest.raises(ValidationError, match="is not a reviewer"):
        services.assign_reviewer(actor=officer, application=application, reviewer=retired)
    assert not application.assignments.exists()


def test_a_call_with_a_reviewer_pool_is_reviewed_from_it():
    officer = factories.officer()
    application = factories.submitted_application()
    in_pool, outsider = factories.reviewer(), factories.reviewer(display_name="Outside Reviewer")
    application.call.reviewer_pool.set([in_pool])
    with pytest.raises(ValidationError) as error:
        services.assign_reviewer(actor=officer, application=application, reviewer=outsider)
    assert error.value.messages[0].startswith("Outside Reviewer is not in this call's reviewer pool: choose a")
    assert services.assign_reviewer(actor=officer, application=application, reviewer=in_pool).reviewer == in_pool
    assert list(rules.assignable_reviewers(application.call)) == [in_pool]
    assert services.suggest_reviewers(application) == []  # the pool is used up; nobody from outside it


def test_an_assigned_reviewer_is_emailed_the_review_page_in_their_language():
    officer = factories.officer()
    application = factories.submitted_application()
    person = factories.reviewer(preferred_language="kk")
    with translation.override("ru"):  # the officer works in Russian; the reviewer reads Kazakh
        assignment = services.assign_reviewer(actor=officer, application=application, reviewer=person)
    email = OutboxEmail.objects.get(to=person.email, topic="funding review assigned")
    assert f"/kk/funding/reviews/{assignment.pk}/" in email.body_text
    assert application.title in email.subject
    with translation.override("kk"):
        assert application.organisation.name in email.body_text
    assert "Сізге" in email.body_text  # written in Kazakh
    insider = factories.reviewer()
    Membership.objects.create(user=insider, organisation=application.organisation, status=Membership.Status.ACTIVE)
    services.assign_reviewer(actor=officer, application=application, reviewer=insider)
    assert not OutboxEmail.objects.filter(to=insider.email).exists()  # flagged: nothing to review


def test_balanced_assignment_prefers_the_least_loaded_and_skips_members():
    officer = factories.officer()
    busy, free, other_free, insider = (factories.reviewer() for _ in range(4))
    first = factories.submitted_application()
    services.assign_reviewer(actor=officer, application=first, reviewer=busy)
    second = factories.submitted_application(call=first.call)
    Membership.objects.create(user=insider, organisation=second.organisation, status=Membership.Status.ACTIVE)
    assigned = services.assign_balanced(actor=officer, application=second)
    assert {a.reviewer for a in assigned} == {free, other_free}


def test_declared_conflict_hides_the_application():
    officer = factories.officer()
    application = factories.submitted_application()
    person = factories.reviewer()
    assignment = services.assign_reviewer(actor=officer, application=application, reviewer=person)
    services.declare_conflict(actor=person, assignment=assignment, note="My sister runs it.")
    assert not rules.can_view_application(person, application)


def test_scores_of_others_are_visible_only_after_submitting():
    officer = factories.officer()
    application = factories.submitted_application()
    first, second = factories.reviewer(), factories.reviewer()
    factories.reviewed_application(application, officer, [first])
    waiting = services.assign_reviewer(actor=officer, application=application, reviewer=second)
    assert selectors.scores_visible_to(waiting) == []
    criteria = list(application.call.criteria.all())
    done = services.submit_review(actor=second, assignment=waiting, scores={c.pk: (5, "ok") for c in criteria})
    assert [row.assignment.reviewer for row in selectors.scores_visible_to(done)] == [first]


def test_scores_outside_the_scale_are_refused():
    officer = factories.officer()
    application = factories.submitted_application()
    person = factories.reviewer()
    assignment = services.assign_reviewer(actor=officer, application=application, reviewer=person)
    criteria = list(application.call.criteria.all())
    with pytest.raises(ValidationError):
        services.submit_review(actor=person, assignment=assignment, scores={c.pk: (11, "") for c in criteria})


def test_ranking_weights_and_flags_divergence():
    officer = factories.officer()
    application = factories.submitted_application()
    reviewers = [factories.reviewer(), factories.reviewer()]
    factories.reviewed_application(application, officer, reviewers, scores=((10, 10), (2, 2)))
    row = selectors.ranking(application.call)[0]
    assert [review.total for review in row.reviews] == [Decimal("100.0"), Decimal("20.0")]
    assert row.average == Decimal("60.0")
    assert row.divergent
