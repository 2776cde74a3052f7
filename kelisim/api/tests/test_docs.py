import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_documentation_page_loads_nothing_from_other_sites(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    addresses = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert addresses, response.text
    assert all(address.startswith("/api/v1/") for address in addresses), addresses


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css")],
)
def test_the_documentation_assets_are_served_here(client, name, content_type):
    response = client.get(f"/api/v1/docs/assets/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert b"".join(response.streaming_content)


def test_only_the_documentation_assets_are_served(client):
    assert client.get("/api/v1/docs/assets/__init__.py").status_code == 404
    assert client.get("/api/v1/docs/assets/..%2F__init__.py").status_code == 404
