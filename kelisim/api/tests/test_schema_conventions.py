"""The API's two conventions, checked on the published schema so that every router keeps them:
a list is always a page envelope, and every documented error has the one error shape."""

import pytest

pytestmark = pytest.mark.django_db

PAGE_FIELDS = {"count", "page", "page_size", "pages", "items"}


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _responses(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                body = response.get("content", {}).get("application/json", {}).get("schema")
                if body is not None:
                    yield f"{method.upper()} {path}", int(status), _resolve(schema, body)


def test_no_operation_answers_a_bare_list(schema):
    bare = [label for label, status, body in _responses(schema) if status < 300 and body.get("type") == "array"]
    assert not bare, f"Paginate these with @paginate(kelisim.api.pagination.Page): {bare}"


def test_every_paginated_list_has_the_same_envelope(schema):
    envelopes = [
        (label, set(body.get("properties", {})))
        for label, status, body in _responses(schema)
        if status < 300 and "items" in body.get("properties", {})
    ]
    assert envelopes
    wrong = [label for label, fields in envelopes if fields != PAGE_FIELDS]
    assert not wrong, wrong


def test_every_documented_error_uses_the_error_format(schema):
    wrong = [
        f"{label} {status}"
        for label, status, body in _responses(schema)
        if status >= 400 and set(body.get("properties", {})) != {"error"}
    ]
    assert not wrong, f"Declare errors as kelisim.api.errors.Error: {wrong}"
