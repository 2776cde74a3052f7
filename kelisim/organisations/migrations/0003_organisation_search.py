"""Full-text search over organisations: FTS5 on SQLite, a GIN index on PostgreSQL (kelisim.core.search)."""

from django.db import migrations

from kelisim.core.search import SearchIndex

# Spelled out here rather than imported from models, so that this migration keeps meaning what it
# meant when it was written.
ORGANISATION_SEARCH = SearchIndex(
    name="organisations_organisation_search",
    table="organisations_organisation",
    columns=(
        ("name_kk", "A"),
        ("name_ru", "A"),
        ("name_en", "A"),
        ("bin", "A"),
        ("description_kk", "C"),
        ("description_ru", "C"),
        ("description_en", "C"),
    ),
)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_import_stage")]

    operations = [ORGANISATION_SEARCH.create_operation()]
