"""Full-text search over articles: FTS5 on SQLite, a GIN index on PostgreSQL (kelisim.core.search)."""

from django.db import migrations

from kelisim.core.search import SearchIndex

# Spelled out here rather than imported, so that this migration keeps meaning what it meant.
ARTICLE_SEARCH = SearchIndex(
    name="publications_article_search",
    table="publications_article",
    columns=(("title", "A"), ("lead", "B"), ("body", "C")),
)


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [ARTICLE_SEARCH.create_operation()]
