"""The contract on the trace page of the plan items it funds (plans' trace-step extension point)."""

import pytest
from django.urls import reverse

from kelisim.funding.models import Contract
from kelisim.funding.tests import factories
from kelisim.plans.tests.factories import draft_with_items

pytestmark = pytest.mark.django_db


def test_plan_item_trace_lists_the_public_contracts_that_fund_it(client):
    version = draft_with_items(items_per_strand=1)
    tracked = version.items.first().tracked
    officer = factories.officer()
    call = factories.open_call(actor=officer)
    call.plan_items.set([tracked])
    signed = factories.signed_contract(actor=officer, call=call)
    draft = factories.signed_contract(actor=officer, call=call, status=Contract.Status.DRAFT)
    assert list(signed.plan_items.all()) == [tracked]
    page = client.get(reverse("plans:trace_item", args=[tracked.code])).content.decode()
    assert "Contracts funding these items" in page
    assert signed.number in page
    assert draft.number not in page
