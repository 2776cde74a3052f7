"""Calls and contracts in the header's search box: what the visitor may see (public calls and contracts)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext, npgettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.funding import selectors
from kelisim.funding.models import Call, Contract


def _marked(text) -> str:
    """The language to mark a title with: only a title shown in another language than the reader's."""
    return text.language if text.fallback else ""


def _call_hit(call) -> SearchHit:
    title = Call.title.resolve(call)
    return SearchHit(
        title=title.text or call.reference, url=call.get_absolute_url(), detail=call.reference, language=_marked(title)
    )


def _calls(query: str, user, limit: int):
    found = selectors.search_calls(selectors.calls_for(user), query)
    calls, count = search.first_rows_and_count(found, limit)
    return count, [_call_hit(call) for call in calls]


def _contract_hit(contract) -> SearchHit:
    title = Contract.title.resolve(contract)
    return SearchHit(
        title=f"{contract.number} · {title.text or contract.application.organisation}",
        url=reverse("funding:contract_detail", args=[contract.number]),
        language=_marked(title),
    )


def _contracts(query: str, user, limit: int):
    found = selectors.search_contracts(selectors.public_contracts(), query)
    contracts, count = search.first_rows_and_count(found.select_related("application__organisation"), limit)
    return count, [_contract_hit(contract) for contract in contracts]


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
