"""Plan items in the header's search box: the items of the plan in force, in every language."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.plans import selectors


def _search(query: str, user, limit: int):
    plan = selectors.current_plan()
    version = selectors.public_version(plan) if plan else None
    if version is None:
        return 0, []
    found = selectors.version_items(version, q=query, details=False)
    items, count = search.first_rows_and_count(found, limit)
    hits = [
        SearchHit(title=f"{item.number} ({item.tracked.code}) · {item.text}", url=item.tracked.get_absolute_url())
        for item in items
    ]
    return count, hits


def register() -> None:
    register_search_kind(
        SearchKind(
            "plan_items",
            lambda n: ngettext("action plan item", "action plan items", n),
            _search,
            lambda query: reverse("plans:index") + "?" + urlencode({"q": query}),
            order=40,
        )
    )
