"""Progress updates on published items (kelisim.plans.services.implementation)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.accounts.tests.factories import UserFactory
from kelisim.plans import selectors, services
from kelisim.plans.models import PlanItem
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_progress_follows_the_status_table_and_rolls_up_by_weight():
    version = draft_with_items(items_per_strand=2)
    first, second = list(version.items.filter(objective__strand__code="youth").order_by("number"))
    services.record_progress(
        actor=None, tracked=first.tracked, status="in_progress", progress=50, note="Half the schools."
    )
    services.record_progress(actor=None, tracked=second.tracked, status="completed", progress=10, note="Done.")
    second.tracked.refresh_from_db()
    assert second.tracked.progress == 100  # completed means 100 %
    PlanItem.objects.filter(pk=first.pk).update(weight=3)
    items = list(selectors.version_items(version))
    tree = {node.strand.code: node for node in selectors.strand_tree(items)}
    assert tree["youth"].progress == round((3 * 50 + 1 * 100) / 4)
    assert tree["prisons"].progress == 0
    services.record_progress(actor=None, tracked=first.tracked, status="cancelled", progress=50, note="Stopped.")
    with pytest.raises(ValidationError):
        services.record_progress(actor=None, tracked=first.tracked, status="in_progress", progress=60, note="Again?")
    with pytest.raises(PermissionDenied):
        services.record_progress(
            actor=UserFactory(), tracked=second.tracked, status="completed", progress=100, note="x"
        )
    assert second.tracked.updates.count() == 1
