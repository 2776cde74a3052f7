"""Calls for proposals: limits, questions, criteria and publication (funding/services/calls.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory
from kelisim.funding import services
from kelisim.funding.models import Call, Question
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_only_officers_create_calls():
    with pytest.raises(PermissionDenied):
        factories.open_call(actor=UserFactory())


def test_call_limits_are_checked():
    officer = factories.officer()
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.save_call(
            actor=officer,
            reference="x",
            title_en="X",
            budget_kzt=100,
            min_award_kzt=50,
            max_award_kzt=200,
            opens_at=now,
            closes_at=now - timedelta(hours=1),
        )
    assert set(error.value.message_dict) == {"closes_at", "max_award_kzt"}


def test_call_publishes_only_when_weights_reach_100():
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)
    services.remove_criterion(actor=officer, criterion=call.criteria.last())
    with pytest.raises(ValidationError, match="100"):
        services.transition_call(actor=officer, call=call, to=Call.Status.PUBLISHED)
    services.add_criterion(actor=officer, call=call, name_en="Reach", weight=40)
    assert services.transition_call(actor=officer, call=call, to=Call.Status.PUBLISHED).status == "published"


def test_weights_cannot_exceed_100():
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)
    with pytest.raises(ValidationError):
        services.add_criterion(actor=officer, call=call, name_en="Extra", weight=1)


def test_questions_are_frozen_once_published():
    officer = factories.officer()
    call = factories.open_call(actor=officer)
    with pytest.raises(ValidationError):
        services.add_question(actor=officer, call=call, kind=Question.Kind.SHORT_TEXT, label_en="Late question")


def test_a_budget_table_is_a_question_and_a_call_has_at_most_one():
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False, budget=False)
    table = services.add_question(actor=officer, call=call, kind=Question.Kind.BUDGET, label_en="Costs")
    later = services.add_question(actor=officer, call=call, kind=Question.Kind.SHORT_TEXT, label_en="Partners")
    assert [q.kind for q in call.questions.all()] == ["long_text", "budget", "short_text"]
    assert table.position < later.position
    with pytest.raises(ValidationError) as error:
        services.add_question(actor=officer, call=call, kind=Question.Kind.BUDGET, label_en="Second table")
    assert "already has a budget table" in error.value.message_dict["kind"][0]
    assert call.questions.filter(kind=Question.Kind.BUDGET).count() == 1
