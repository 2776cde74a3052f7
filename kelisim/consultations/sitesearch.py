"""Suggestions in the header's search box (core.registry.SearchKind)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import npgettext

from kelisim.consultations import selectors
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind


def _search(query: str, user, limit: int):
    found = selectors.filter_suggestions(selectors.public_suggestions(), {"q": query})
    hits = [
        SearchHit(
            title=f"{suggestion.reference} · {suggestion.display_title}",
            url=reverse("consultations:suggestion", args=[suggestion.reference]),
            detail=suggestion.get_status_display(),
            language=suggestion.language,
        )
        for suggestion in found[:limit]
    ]
    return found.count(), hits


def register() -> None:
    register_search_kind(
        SearchKind(
            "suggestions",
            lambda n: npgettext("search results", "suggestion", "suggestions", n),
            _search,
            lambda query: reverse("consultations:list") + "?" + urlencode({"q": query}),
            order=20,
        )
    )
