"""News in the header's search box (core.registry.SearchKind): articles in every language."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext

from kelisim.core import search
from kelisim.core.registry import SearchHit, SearchKind, register_search_kind
from kelisim.publications import selectors


def _search(query: str, user, limit: int):
    found = selectors.public_articles(language="", q=query, tag="", strand="")
    articles, count = search.first_rows_and_count(found, limit)
    hits = [
        SearchHit(title=article.title, url=article.get_absolute_url(), language=article.language)
        for article in articles
    ]
    return count, hits


def register() -> None:
    register_search_kind(
        SearchKind(
            "news",
            lambda n: ngettext("news article", "news articles", n),
            _search,
            lambda query: reverse("publications:list") + "?" + urlencode({"q": query, "language": "all"}),
            order=90,
        )
    )
