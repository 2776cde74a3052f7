"""Every error has the one shape; every list has the one page envelope, with enforced bounds."""

import pytest
from django.conf import settings

from kelisim.api.tests.helpers import assert_error
from kelisim.organisations.tests.expert_factories import ExpertFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_address_is_a_json_404(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.post("/api/v1/no/such/thing"), 404, "not_found")


def test_a_missing_record_is_a_json_404(client):
    assert_error(client.get("/api/v1/experts/424242"), 404, "not_found")


def test_a_wrong_method_is_a_json_405_that_names_the_allowed_one(client):
    error_response = client.post("/api/v1/regions")
    assert_error(error_response, 405, "method_not_allowed")
    assert error_response["Allow"] == "GET"
    assert_error(client.delete("/api/v1/experts/1"), 405, "method_not_allowed")


def test_a_missing_token_is_a_json_401(client):
    assert_error(client.get("/api/v1/me"), 401, "unauthorized")


def test_invalid_parameters_are_a_json_422_naming_the_parameter(client):
    error = assert_error(client.get("/api/v1/experts", {"page": "first"}), 422, "invalid")
    assert error["details"][0]["loc"] == ["query", "page"]
    assert_error(client.get("/api/v1/organisations/not-a-number"), 404, "not_found")


def test_an_unexpected_failure_is_a_json_500(client, monkeypatch):
    from kelisim.api.routers import core

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(core, "get_object_or_404", broken)
    error = assert_error(client.get("/api/v1/regions/KZ-71"), 500, "server_error")
    assert "boom" not in error["message"]


def test_the_root_points_to_the_schema(client):
    body = client.get("/api/v1/").json()
    assert body["openapi"] == "/api/v1/openapi.json"
    assert client.get(body["openapi"]).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/regions", "/api/v1/strands", "/api/v1/organisations", "/api/v1/experts", "/api/v1/experts/fields"]
)
def test_every_list_has_the_page_envelope(client, url):
    body = client.get(url).json()
    assert set(body) == {"count", "page", "page_size", "pages", "items"}
    assert body["page"] == 1 and body["page_size"] == settings.KELISIM_API_PAGE_SIZE


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page_size=0", f"page_size={settings.KELISIM_API_MAX_PAGE_SIZE + 1}", "page=100001"],
)
def test_page_bounds_are_enforced(client, query):
    assert_error(client.get(f"/api/v1/regions?{query}"), 422, "invalid")


def test_pages_split_the_list_without_gaps_or_repeats(client):
    for number in range(7):
        ExpertFactory(full_name=f"Expert {number}")
    seen = []
    for page in (1, 2, 3):
        body = client.get("/api/v1/experts", {"page": page, "page_size": 3}).json()
        assert (body["count"], body["pages"]) == (7, 3)
        seen += [item["full_name"] for item in body["items"]]
    assert seen == [f"Expert {number}" for number in range(7)]
    beyond = client.get("/api/v1/experts", {"page": 9, "page_size": 3}).json()
    assert beyond["items"] == [] and beyond["count"] == 7


def test_the_largest_page_size_is_accepted(client):
    body = client.get("/api/v1/regions", {"page_size": settings.KELISIM_API_MAX_PAGE_SIZE}).json()
    assert len(body["items"]) == body["count"] == 20


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/experts?q=a%00b",
        "/api/v1/experts?region=KZ%00",
        "/api/v1/organisations?q=%00",
        "/api/v1/organisations/by-bin/12%00",
        "/api/v1/regions/KZ-71%00",
        "/api/v1/strands/youth%00",
    ],
)
def test_a_nul_character_is_refused_as_invalid_input(client, url):
    assert_error(client.get(url), 422, "invalid")
