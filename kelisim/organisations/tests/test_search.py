"""kelisim.core.search on the organisation index (runs on SQLite and, with DATABASE_URL, PostgreSQL)."""

import pytest
from django.db import connection

from kelisim.core import search
from kelisim.organisations.models import ORGANISATION_SEARCH, Organisation
from kelisim.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def found(query):
    return list(search.search(Organisation.objects.all(), ORGANISATION_SEARCH, query).values_list("name_en", flat=True))


def test_finds_words_in_any_of_the_three_languages_and_by_prefix():
    OrganisationFactory(name_en="Steppe Volunteers", name_ru="Волонтёры степи", name_kk="Дала еріктілері")
    OrganisationFactory(name_en="Harmony", name_ru="Гармония", name_kk="Үйлесім")
    assert found("еріктілері") == ["Steppe Volunteers"]
    assert found("ВОЛОНТ") == ["Steppe Volunteers"]
    assert found("volunteer") == ["Steppe Volunteers"]
    assert found("Үйлес") == ["Harmony"]


def test_every_word_must_match():
    OrganisationFactory(name_en="Youth Initiative Almaty")
    OrganisationFactory(name_en="Youth Council Taraz")
    assert found("youth taraz") == ["Youth Council Taraz"]
    assert sorted(found("youth")) == ["Youth Council Taraz", "Youth Initiative Almaty"]


def test_finds_by_bin_and_by_its_beginning():
    organisation = OrganisationFactory(name_en="Accord")
    assert found(organisation.bin) == ["Accord"]
    assert found(organisation.bin[:6]) == ["Accord"]


def test_a_name_match_ranks_above_a_description_match():
    OrganisationFactory(name_en="Mentors", description_en="We work with schools.")
    OrganisationFactory(name_en="Second Chance", description_en="Mentors for young inmates.")
    assert found("mentors") == ["Mentors", "Second Chance"]


@pytest.mark.parametrize(
    "hostile",
    ['"', "OR", "AND NOT", "a*", "name_en:x", "(", "NEAR(a b)", "'", "\\", "x' | '", "!:*", "-", "^a", "🙂"],
)
def test_search_syntax_in_user_text_is_harmless(hostile):
    OrganisationFactory(name_en="Harmony")
    results = found(hostile)
    assert results in ([], ["Harmony"])


def test_text_without_words_leaves_the_list_alone():
    OrganisationFactory.create_batch(2)
    assert search.search(Organisation.objects.all(), ORGANISATION_SEARCH, "  ,;  ").count() == 2


def test_the_index_follows_updates_and_deletes():
    organisation = OrganisationFactory(name_en="Old Name")
    organisation.name_en = "Brand New"
    organisation.save()
    assert found("old") == []
    assert found("brand") == ["Brand New"]
    organisation.delete()
    assert found("brand") == []


def test_bulk_created_rows_are_searchable():
    from kelisim.core.models import Region
    from kelisim.organisations.tests.factories import valid_bin

    region = Region.objects.get(code="KZ-11")
    Organisation.objects.bulk_create(
        [
            Organisation(bin=valid_bin(90_000 + n), name_en=f"Bulk {n}", legal_form="other", region=region)
            for n in range(3)
        ]
    )
    assert sorted(found("bulk")) == ["Bulk 0", "Bulk 1", "Bulk 2"]


def test_the_index_exists_for_this_database_and_is_repaired_when_lost():
    assert ORGANISATION_SEARCH.is_complete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER organisations_organisation_search_ai")
        assert not ORGANISATION_SEARCH.is_complete()
        assert ORGANISATION_SEARCH.repair() is True
        OrganisationFactory(name_en="After Repair")
        assert found("repair") == ["After Repair"]
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM organisations_organisation WHERE "  # noqa: S608 - a constant
                + ORGANISATION_SEARCH.pg_document_sql()
                + " @@ to_tsquery('simple', 'x:*')"
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "organisations_organisation_search" in plan


def test_query_terms_are_split_lowercased_and_limited():
    assert search.query_terms('Жастар "OR" bin:123') == ["жастар", "or", "bin", "123"]
    assert len(search.query_terms(" ".join(f"w{n}" for n in range(40)))) == search.MAX_TERMS
