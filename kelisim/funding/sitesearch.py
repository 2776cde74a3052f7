"""Calls and contracts in the header's search box: what the visitor may see (public calls and contracts)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext, npgettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.funding import selectors


def _calls(query: str, user, limit: int):
    found = selectors.search_calls(selectors.calls_for(user), query)
    calls, count = search.first_rows_and_count(found, limit)
    return count, [SearchHit(title=str(call), url=call.get_absolute_url(), detail=call.reference) for call in calls]


def _contracts(query: str, user, limit: int):
    found = selectors.search_contracts(selectors.public_contracts(), query)
    contracts, count = search.first_rows_and_count(found.select_related("application__organisation"), limit)
    hits = [
        SearchHit(
            title=f"{contract.number} · {contract.application.title or contract.application.organisation}",
            url=reverse("funding:contract_detail", args=[contract.number]),
        )
        for contract in contracts
    ]
    return count, hits


def register() -> None:
    register_search_kind(
        SearchKind(
            "calls",
            lambda n: ngettext("call for proposals", "calls for proposals", n),
            _calls,
            lambda query: reverse("funding:index") + "?" + urlencode({"q": query}),
            order=50,
        )
    )
    register_search_kind(
        SearchKind(
            "contracts",
            lambda n: npgettext("search results", "contract", "contracts", n),
            _contracts,
            lambda query: reverse("funding:contracts") + "?" + urlencode({"q": query}),
            order=55,
        )
    )
