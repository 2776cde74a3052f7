"""Full-text search over suggestions, on the index that kelisim.core.search creates and repairs
(SQLite FTS5, PostgreSQL tsvector + GIN).

Suggestions are filtered by the index and then ordered like any list (newest first, most
supported, …) rather than ranked: at hundreds of thousands of short texts, common words match tens
of thousands of rows, and scoring each of them would cost seconds where the filter costs
milliseconds.
"""

# ruff: noqa: S608, S611 - identifiers come from SUGGESTION_SEARCH, the user's words are parameters.

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from kelisim.core.search import SearchIndex, fts5_match_expression, query_terms, tsquery_expression

SUGGESTION_SEARCH = SearchIndex(
    name="consultations_suggestion_search",
    table="consultations_suggestion",
    columns=(("title", "A"), ("text", "B")),
)


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Suggestions whose title or text contains every word of ``query`` (each also as a prefix)."""
    terms = query_terms(query)
    if not terms:
        return queryset
    index = SUGGESTION_SEARCH
    if connection.vendor == "sqlite":
        matching = RawSQL(f"SELECT rowid FROM {index.name} WHERE {index.name} MATCH %s", [fts5_match_expression(terms)])
        return queryset.filter(pk__in=matching)
    if connection.vendor == "postgresql":
        document = index.pg_document_sql(index.table)
        return queryset.filter(
            RawSQL(f"{document} @@ to_tsquery('simple'::regconfig, %s)", [tsquery_expression(terms)], BooleanField())
        )
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(text__icontains=term)
    return queryset.filter(condition)
