import pytest

from kelisim.api.tests.helpers import assert_error
from kelisim.core.models import Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.core.tests.queries import count_page_queries
from kelisim.organisations.models import Organisation
from kelisim.organisations.tests.expert_factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def registry():
    youth = StrandFactory(code="youth")
    almaty = Region.objects.get(code="KZ-75")
    peace = OrganisationFactory(
        name_en="KazakhStan for Peace",
        name_ru="Казахстан за мир",
        region=almaty,
        verification_status=Organisation.Verification.VERIFIED,
        private_email="secret-board@peace.example.kz",
        private_phone="+7 700 000 00 01",
    )
    peace.focus_strands.set([youth])
    accord = OrganisationFactory(name_en="Accord", name_ru="Согласие", region=Region.objects.get(code="KZ-31"))
    excluded = OrganisationFactory(name_en="Excluded", verification_status=Organisation.Verification.EXCLUDED)
    return {"peace": peace, "accord": accord, "excluded": excluded}


def test_the_list_gives_public_fields_and_never_private_contacts(client, registry):
    response = client.get(URL)
    body = response.json()
    assert ids(response) == {registry["peace"].pk, registry["accord"].pk}
    peace = next(item for item in body["items"] if item["id"] == registry["peace"].pk)
    assert peace["bin"] == registry["peace"].bin
    assert peace["region"] == "KZ-75"
    assert peace["focus_strands"] == ["youth"]
    assert peace["verification_status"] == "verified"
    assert "secret-board@peace.example.kz" not in response.text
    assert "+7 700 000 00 01" not in response.text
    assert not {"private_email", "private_phone", "verification_note", "verified_by"} & set(peace)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=KZ-75", {"peace"}),
        ("strand=youth", {"peace"}),
        ("verified=true", {"peace"}),
        ("verified=false", {"accord"}),
        ("region=KZ-31&verified=true", set()),
        ("region=XX-99", set()),
        ("strand=no-such-strand", set()),
    ],
)
def test_filters(client, registry, query, expected):
    assert ids(client.get(f"{URL}?{query}")) == {registry[key].pk for key in expected}


def test_search_by_name_and_bin(client, registry):
    assert ids(client.get(URL, {"q": "Accord"})) == {registry["accord"].pk}
    assert ids(client.get(URL, {"q": registry["peace"].bin})) == {registry["peace"].pk}


def test_detail_by_id_and_by_bin(client, registry):
    peace = registry["peace"]
    by_id = client.get(f"{URL}/{peace.pk}")
    by_bin = client.get(f"{URL}/by-bin/{peace.bin}")
    assert by_id.status_code == by_bin.status_code == 200
    assert by_id.json() == by_bin.json()
    assert by_id.json()["name_en"] == "KazakhStan for Peace"
    assert "secret-board@peace.example.kz" not in by_id.text


def test_excluded_and_unknown_organisations_are_not_found(client, registry):
    assert_error(client.get(f"{URL}/{registry['excluded'].pk}"), 404, "not_found")
    assert_error(client.get(f"{URL}/by-bin/{registry['excluded'].bin}"), 404, "not_found")
    assert_error(client.get(f"{URL}/999999"), 404, "not_found")
    assert_error(client.get(f"{URL}/by-bin/000000000000"), 404, "not_found")


def test_the_list_runs_the_same_number_of_queries_however_many_organisations(client, registry):
    strands = [StrandFactory(code=f"s{n}") for n in range(3)]
    before, _ = count_page_queries(client, URL)
    for _ in range(20):
        OrganisationFactory().focus_strands.set(strands)
    after, queries = count_page_queries(client, URL)
    assert before == after, queries
