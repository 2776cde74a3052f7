"""Suggestions in the header's search box (core.registry.SearchKind)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import npgettext

from kelisim.consultations import selectors
from kelisim.consultations.models import DocumentVersion, Suggestion
from kelisim.consultations.search import SUGGESTION_SEARCH
from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind


def _search(query: str, user, limit: int):
    count, best = search.count_and_best(
        selectors.public_suggestions(),
        SUGGESTION_SEARCH,
        query,
        limit,
        # Versions first (a handful), so that the hidden suggestions are found by their version's index.
        hidden=Suggestion.objects.filter(
            version_id__in=list(DocumentVersion.objects.filter(is_published=False).values_list("pk", flat=True))
        ),
        newest=True,
    )
    hits = [
        SearchHit(
            title=f"{suggestion.reference} · {suggestion.display_title}",
            url=reverse("consultations:suggestion", args=[suggestion.reference]),
            detail=suggestion.get_status_display(),
            language=suggestion.language,
        )
        for suggestion in best
    ]
    return count, hits


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
