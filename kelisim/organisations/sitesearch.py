"""Organisations and experts in the header's search box (core.registry.SearchKind)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext, npgettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.organisations import expert_selectors, selectors
from kelisim.organisations.models import ORGANISATION_SEARCH, Organisation


def _organisations(query: str, user, limit: int):
    count, best = search.count_and_best(
        selectors.public_organisations(),
        ORGANISATION_SEARCH,
        query,
        limit,
        hidden=Organisation.objects.filter(verification_status=Organisation.Verification.EXCLUDED),
    )
    hits = [
        SearchHit(title=str(organisation.name), url=organisation.get_absolute_url(), detail=organisation.bin)
        for organisation in best
    ]
    return count, hits


def _experts(query: str, user, limit: int):
    found = expert_selectors.filter_experts(expert_selectors.listed_experts(), text=query)
    experts, count = search.first_rows_and_count(found, limit)
    return count, [SearchHit(title=expert.full_name, url=expert.get_absolute_url()) for expert in experts]


def register() -> None:
    register_search_kind(
        SearchKind(
            "organisations",
            lambda n: npgettext("search results", "organisation", "organisations", n),
            _organisations,
            lambda query: reverse("organisations:list") + "?" + urlencode({"q": query}),
            order=70,
        )
    )
    register_search_kind(
        SearchKind(
            "experts",
            lambda n: ngettext("expert or lecturer", "experts and lecturers", n),
            _experts,
            lambda query: reverse("organisations:expert_list") + "?" + urlencode({"q": query}),
            order=75,
        )
    )
