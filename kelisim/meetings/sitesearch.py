"""Roundtables in the header's search box."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import npgettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.meetings import selectors


def _search(query: str, user, limit: int):
    found = selectors.search_roundtables(query).order_by("-starts_at", "-pk")
    roundtables, count = search.first_rows_and_count(found, limit)
    hits = [
        SearchHit(title=roundtable.title, url=reverse("meetings:detail", args=[roundtable.pk]), detail=roundtable.place)
        for roundtable in roundtables
    ]
    return count, hits


def register() -> None:
    register_search_kind(
        SearchKind(
            "roundtables",
            lambda n: npgettext("search results", "roundtable", "roundtables", n),
            _search,
            lambda query: reverse("meetings:list") + "?" + urlencode({"q": query}),
            order=30,
        )
    )
