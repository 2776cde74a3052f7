"""Issue 15, item 3: one search box for every kind, grouped with counts, each group linking to its filtered list."""

import pytest
from django.urls import reverse

from kelisim.consultations.tests import factories as consultations
from kelisim.funding.models import Call
from kelisim.funding.tests import factories as funding
from kelisim.meetings.tests import factories as meetings
from kelisim.organisations.models import Organisation
from kelisim.organisations.tests.factories import OrganisationFactory
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIST_COUNT = {
    "suggestions": lambda response: response.context["page_obj"].paginator.count,
    "organisations": lambda response: response.context["page_obj"].paginator.count,
    "news": lambda response: response.context["page"].paginator.count,
    "roundtables": lambda response: response.context["found"],
    "calls": lambda response: len(response.context["calls"]),
}


def test_one_search_finds_every_kind_and_each_group_links_to_its_list_with_the_same_count(client):
    version = consultations.open_version()
    consultations.suggestion(version, text="Open a Mediation club for teenagers in every district.")
    consultations.suggestion(version, text="Школьные клубы медиации нужны в каждом районе.")
    OrganisationFactory(name_en="Mediation Centre", name_ru="Центр медиации", name_kk="Медиация орталығы")
    OrganisationFactory(name_en="Hidden Mediation", verification_status=Organisation.Verification.EXCLUDED)
    ArticleFactory(title="Mediation in schools works")
    meetings.roundtable(title="Mediation and youth")
    funding.open_call(title_en="Mediation projects 2017")
    response = client.get(reverse("core:search"), {"q": "mediation"})
    assert response.status_code == 200
    groups = {group["key"]: group for group in response.context["groups"]}
    counts = {key: group["count"] for key, group in groups.items() if group["count"]}
    assert counts == {"suggestions": 1, "organisations": 1, "news": 1, "roundtables": 1, "calls": 1}
    for key, count_of in LIST_COUNT.items():
        assert count_of(client.get(groups[key]["url"])) == counts[key], key
    # Across languages: the Russian word finds the Russian text and the Russian name.
    russian = client.get(reverse("core:search"), {"q": "медиации"})
    found = {group["key"]: group["count"] for group in russian.context["groups"] if group["count"]}
    assert found == {"suggestions": 1, "organisations": 1}


def test_only_what_the_visitor_may_see(client):
    funding.open_call(title_en="Secret draft call about mediation", publish=False)
    response = client.get(reverse("core:search"), {"q": "mediation"})
    assert Call.objects.count() == 1
    assert response.context["total"] == 0


def test_the_header_has_the_search_box_on_every_page(client):
    body = client.get(reverse("organisations:list")).content.decode()
    assert 'role="search"' in body and f'action="{reverse("core:search")}"' in body


def test_search_syntax_is_plain_text(client):
    response = client.get(reverse("core:search"), {"q": 'OR "" * NEAR( : &'})
    assert response.status_code == 200


@pytest.mark.parametrize("pool_is_small", [False, True])
def test_counted_in_the_index_the_group_equals_the_list_and_leaves_out_unpublished_and_excluded(
    client, monkeypatch, pool_is_small
):
    from kelisim.consultations.models import DocumentVersion

    if pool_is_small:  # the visible rows lie beyond the index's first rows: the plain search answers
        monkeypatch.setattr("kelisim.core.search.POOL_PER_SHOWN", 1)
    published = consultations.open_version()
    draft = consultations.open_version()
    DocumentVersion.objects.filter(pk=draft.pk).update(is_published=False)
    shown = [consultations.suggestion(published, text=f"Mentors for teenagers, district {n}.") for n in range(7)]
    unseen = [consultations.suggestion(draft, text=f"Mentors for teenagers, draft idea {n}.") for n in range(3)]
    for number in range(3):
        OrganisationFactory(name_en=f"Mentors Union {number}")
        OrganisationFactory(name_en=f"Mentors Hidden {number}", verification_status=Organisation.Verification.EXCLUDED)
    response = client.get(reverse("core:search"), {"q": "mentors"})
    groups = {group["key"]: group for group in response.context["groups"]}
    assert groups["suggestions"]["count"] == 7 == LIST_COUNT["suggestions"](client.get(groups["suggestions"]["url"]))
    assert groups["organisations"]["count"] == 3
    titles = " ".join(hit.title for group in groups.values() for hit in group["hits"])
    assert "Hidden" not in titles and not any(suggestion.reference in titles for suggestion in unseen)
    # The latest five suggestions, newest first.
    assert [hit.title.split(" · ")[0] for hit in groups["suggestions"]["hits"]] == [
        suggestion.reference for suggestion in reversed(shown[-5:])
    ]


def test_small_kinds_match_any_letter_case_in_every_alphabet_and_count_beyond_the_first_rows(client):
    """Roundtables, calls and experts are searched without a full-text index: "жастар", "ЖАСТАР" and "Жастар"
    find the same rows, whatever case the stored text uses, and the count is the list's, not the five shown."""
    from kelisim.organisations.tests.expert_factories import ExpertFactory

    for number in range(7):
        meetings.roundtable(title=f"ЖАСТАР саясаты, кездесу {number}")
    funding.open_call(title_en="Grants", title_kk="Жастар ұйымдарына гранттар")
    ExpertFactory(full_name="Айгүл Сейітова", title_kk="жастар ісі жөніндегі сарапшы", is_listed=True)
    meetings.roundtable(title="Семья и школа")
    for spelling in ("жастар", "ЖАСТАР", "Жастар", "жАсТаР саясаты"):
        response = client.get(reverse("core:search"), {"q": spelling})
        counts = {group["key"]: group["count"] for group in response.context["groups"] if group["count"]}
        expected = {"roundtables": 7, "calls": 1, "experts": 1}
        if "саясаты" in spelling:
            expected = {"roundtables": 7}
        assert counts == expected, spelling
        roundtables = next(group for group in response.context["groups"] if group["key"] == "roundtables")
        assert len(roundtables["hits"]) == 5
    assert LIST_COUNT["roundtables"](client.get(roundtables["url"])) == 7


def test_a_broad_word_shows_the_organisations_named_so_first(client, monkeypatch):
    """When more organisations carry a word in their name than the index's pool holds, the group's best rows are
    still those named so, ahead of those that only mention the word in their description."""
    monkeypatch.setattr("kelisim.core.search.POOL_PER_SHOWN", 1)  # a pool of five rows for five shown
    for number in range(3):
        OrganisationFactory(name_en=f"Alpha {number}", description_en="Mentoring mentoring mentoring for youth.")
    named = [OrganisationFactory(name_en=f"Mentoring Circle {number}") for number in range(6)]
    OrganisationFactory(name_en="Mentoring Hidden", verification_status=Organisation.Verification.EXCLUDED)
    response = client.get(reverse("core:search"), {"q": "mentoring"})
    group = next(group for group in response.context["groups"] if group["key"] == "organisations")
    assert group["count"] == 9
    assert len(group["hits"]) == 5
    assert {hit.title for hit in group["hits"]} <= {str(organisation.name) for organisation in named}
