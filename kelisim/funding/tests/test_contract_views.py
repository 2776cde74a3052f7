"""The contract register and pages (funding/views/contracts.py)."""

import pytest
from django.urls import reverse

from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding.models import Contract
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_public_register_lists_published_calls_and_contracts(client):
    contract = factories.signed_contract()
    factories.open_call(reference="hidden-draft", publish=False)
    page = client.get(reverse("funding:index")).content.decode()
    assert contract.application.call.title_ru in page or contract.application.call.title_en in page
    assert "hidden-draft" not in page
    register = client.get(reverse("funding:contracts")).content.decode()
    assert contract.number in register and contract.application.organisation.name in register
    assert client.get(reverse("funding:call_detail", args=["hidden-draft"])).status_code == 404


def test_draft_contract_is_not_public(client):
    contract = factories.signed_contract(status=Contract.Status.DRAFT)
    assert client.get(reverse("funding:contract_detail", args=[contract.number])).status_code == 404
    assert contract.number not in client.get(reverse("funding:contracts")).content.decode()


def test_register_queries_do_not_grow(client):
    officer = factories.officer()
    call = factories.signed_contract(actor=officer).application.call
    assert_queries_do_not_grow(
        client,
        reverse("funding:contracts"),
        add_data=lambda: [factories.signed_contract(actor=officer, call=call) for _ in range(3)],
        limit=10,
    )
