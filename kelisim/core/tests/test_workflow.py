from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kelisim.core.workflow import Workflow, transition


class _Field:
    flatchoices = (("draft", "Draft"), ("open", "Open"), ("closed", "Closed"))


class Thing(SimpleNamespace):
    WORKFLOW = Workflow({"draft": {"open"}, "open": {"closed"}, "closed": set()})
    _meta = SimpleNamespace(get_field=lambda name: _Field())


def test_an_allowed_move_changes_the_status_and_records_who_and_why():
    thing = Thing(status="draft")
    previous = transition(thing, to="open", actor="officer", reason="ready")
    assert (previous, thing.status) == ("draft", "open")
    assert (thing._history_user, thing._change_reason) == ("officer", "ready")


def test_the_default_history_reason_names_both_states_and_is_cut_to_the_column():
    thing = Thing(status="open")
    transition(thing, to="closed", actor=None)
    assert thing._change_reason == "status: open -> closed"
    thing = Thing(status="draft")
    transition(thing, to="open", actor=None, reason="x" * 300)
    assert len(thing._change_reason) == 100


def test_a_move_the_table_does_not_list_is_refused_on_the_field_with_both_labels():
    thing = Thing(status="draft")
    with pytest.raises(ValidationError) as refused:
        transition(thing, to="closed", actor=None)
    assert thing.status == "draft"
    message = refused.value.message_dict["status"][0]
    assert "Draft" in message and "Closed" in message


def test_a_workflow_can_hold_another_field_and_lists_what_may_follow():
    workflow = Workflow({"pending": {"verified", "refused"}}, field="verification_status")
    assert workflow.targets("pending") == {"verified", "refused"}
    assert workflow.targets("unknown") == frozenset()
    assert workflow.can_move(SimpleNamespace(verification_status="pending"), "verified")


@pytest.mark.django_db(transaction=True)
def test_after_commit_work_runs_only_when_the_move_commits():
    done = []
    with transaction.atomic():
        transition(Thing(status="draft"), to="open", actor=None, after_commit=lambda: done.append("committed"))
    try:
        with transaction.atomic():
            transition(Thing(status="draft"), to="open", actor=None, after_commit=lambda: done.append("rolled back"))
            raise RuntimeError
    except RuntimeError:
        pass
    assert done == ["committed"]
