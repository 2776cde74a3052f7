"""Comparing versions word by word (kelisim.plans.selectors)."""

import pytest

from kelisim.plans import selectors, services
from kelisim.plans.models import PlanVersion
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_compare_shows_added_removed_and_word_level_changes_by_strand():
    first = draft_with_items(items_per_strand=1)
    second = services.start_version(actor=None, plan=first.plan, kind=PlanVersion.Kind.DRAFT)
    changed, removed = list(second.items.order_by("number"))[:2]
    services.save_item(
        actor=None,
        version=second,
        objective=changed.objective,
        item=changed,
        text_en="Measure 1 of the zero-tolerance strand with lectures in colleges",
    )
    services.remove_item(actor=None, item=removed)
    services.save_item(
        actor=None, version=second, objective=changed.objective, text_en="Bloggers' school", responsible_body="Ministry"
    )
    services.publish_version(actor=None, version=second)
    groups = selectors.compare_versions(first, second)
    changes = {change.kind: change for _strand, items in groups for change in items}
    assert set(changes) == {"added", "removed", "changed"}
    text_diff = dict(changes["changed"].fields)["text"]
    assert "<del>schools</del>" in text_diff and "<ins>colleges</ins>" in text_diff
    assert [strand.code for strand, _items in groups] == ["zero-tolerance", "prisons"]


def test_word_diff_escapes_html():
    assert "&lt;b&gt;" in selectors.word_diff("a", "<b>")
