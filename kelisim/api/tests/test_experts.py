import pytest

from kelisim.api.tests.helpers import assert_error
from kelisim.core.models import Region
from kelisim.core.tests.queries import count_page_queries
from kelisim.organisations.tests.expert_factories import ExpertFactory, ExpertiseFieldFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["full_name"] for item in response.json()["items"]]


@pytest.fixture
def roster():
    theology = ExpertiseFieldFactory(code="theology", name_en="Theology", name_ru="Теология")
    media = ExpertiseFieldFactory(code="media", name_en="Media")
    organisation = OrganisationFactory()
    aliya = ExpertFactory(
        full_name="Aliya",
        fields=[theology],
        languages="kk,ru",
        regions=[Region.objects.get(code="KZ-71")],
        organisation=organisation,
        contact_email="aliya-hidden@experts.example.kz",
    )
    timur = ExpertFactory(full_name="Timur", fields=[media], languages="en", regions=[Region.objects.get(code="KZ-75")])
    hidden = ExpertFactory(full_name="Hidden", is_listed=False)
    return {"aliya": aliya, "timur": timur, "hidden": hidden, "organisation": organisation}


def test_the_list_shows_listed_experts_without_their_addresses(client, roster):
    response = client.get(URL)
    assert names(response) == ["Aliya", "Timur"]
    aliya = response.json()["items"][0]
    assert aliya["fields"][0]["code"] == "theology"
    assert aliya["languages"] == ["kk", "ru"]
    assert aliya["regions"] == ["KZ-71"]
    assert aliya["organisation_id"] == roster["organisation"].pk
    assert "contact_email" not in aliya
    assert "aliya-hidden@experts.example.kz" not in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field=theology", ["Aliya"]),
        ("language=en", ["Timur"]),
        ("region=KZ-75", ["Timur"]),
        ("q=теология", ["Aliya"]),
        ("q=timur", ["Timur"]),
        ("field=no-such-field", []),
        ("region=KZ-00", []),
        ("organisation=987654", []),
    ],
)
def test_filters(client, roster, query, expected):
    assert names(client.get(f"{URL}?{query}")) == expected


def test_filter_by_organisation(client, roster):
    assert names(client.get(URL, {"organisation": roster["organisation"].pk})) == ["Aliya"]


def test_an_unknown_language_is_a_validation_error(client, roster):
    error = assert_error(client.get(URL, {"language": "de"}), 422, "invalid")
    assert error["details"][0]["loc"] == ["query", "language"]


def test_detail_shows_listed_experts_only(client, roster):
    response = client.get(f"{URL}/{roster['aliya'].pk}")
    assert response.status_code == 200
    assert response.json()["full_name"] == "Aliya"
    assert "aliya-hidden" not in response.text
    assert_error(client.get(f"{URL}/{roster['hidden'].pk}"), 404, "not_found")


def test_fields_of_expertise_are_listed(client, roster):
    response = client.get(f"{URL}/fields")
    assert response.status_code == 200
    assert {item["code"] for item in response.json()["items"]} == {"theology", "media"}


def test_the_list_runs_the_same_number_of_queries_however_many_experts(client, roster):
    fields = [ExpertiseFieldFactory(code=f"x{n}") for n in range(3)]
    regions = list(Region.objects.all()[:3])
    before, _ = count_page_queries(client, URL)
    for _ in range(15):
        ExpertFactory(fields=fields, regions=regions, organisation=OrganisationFactory())
    after, queries = count_page_queries(client, URL)
    assert before == after, queries


def test_an_excluded_organisation_is_not_pointed_to(client):
    from kelisim.organisations.models import Organisation

    expert = ExpertFactory(organisation=OrganisationFactory(verification_status=Organisation.Verification.EXCLUDED))
    assert client.get(f"{URL}/{expert.pk}").json()["organisation_id"] is None
