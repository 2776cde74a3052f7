"""Full-text search over articles through kelisim.core.search (SQLite FTS5, PostgreSQL tsvector + GIN)."""

from kelisim.core.search import SearchIndex

ARTICLE_SEARCH = SearchIndex(
    name="publications_article_search",
    table="publications_article",
    columns=(("title", "A"), ("lead", "B"), ("body", "C")),
)
