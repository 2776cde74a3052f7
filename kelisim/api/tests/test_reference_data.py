import pytest

from kelisim.api.tests.helpers import assert_error
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def test_regions_are_paginated_like_every_list(client):
    response = client.get("/api/v1/regions", {"page_size": 5, "page": 2})
    body = response.json()
    assert response.status_code == 200
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (20, 2, 5, 4)
    assert len(body["items"]) == 5


def test_one_region_by_code(client):
    response = client.get("/api/v1/regions/KZ-71")
    assert response.status_code == 200
    assert response.json()["kind"] == "city"
    assert_error(client.get("/api/v1/regions/KZ-00"), 404, "not_found")


def test_strands_list_and_detail(client):
    StrandFactory(code="youth", name_en="Youth", description_en="Spiritual and moral education of youth")
    body = client.get("/api/v1/strands").json()
    assert [item["code"] for item in body["items"]] == ["youth"]
    detail = client.get("/api/v1/strands/youth").json()
    assert detail["description_en"] == "Spiritual and moral education of youth"
    assert_error(client.get("/api/v1/strands/none"), 404, "not_found")
