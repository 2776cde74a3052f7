"""Full-text search over suggestions through kelisim.core.search (SQLite FTS5, PostgreSQL tsvector + GIN)."""

from django.db.models import QuerySet

from kelisim.core.search import SearchIndex
from kelisim.core.search import search as core_search

SUGGESTION_SEARCH = SearchIndex(
    name="consultations_suggestion_search",
    table="consultations_suggestion",
    columns=(("title", "A"), ("text", "B")),
)


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Suggestions matching every word of ``query``, best first."""
    return core_search(queryset, SUGGESTION_SEARCH, query)
