"""The API's conventions, checked on the published schema and the routers so that every router keeps them:
a list is always a page envelope; every error an operation can answer is documented, in the one error
shape; every schema name belongs to one class; only the API's handlers build error answers."""

import json
import re
import typing
from collections import defaultdict
from pathlib import Path

import pytest
from pydantic import BaseModel

from kelisim.api import api as api_module
from kelisim.api.api import api

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


def test_the_served_schema_has_each_key_once(client):
    """A key twice in one object (say the status 422 once as a number and once as text) is valid to Python's
    json module but not to the YAML parser of the interactive documentation, which then shows nothing."""
    repeated = []

    def remember_repeats(pairs):
        keys = [key for key, _value in pairs]
        repeated.extend(sorted({key for key in keys if keys.count(key) > 1}))
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=remember_repeats)
    assert not repeated, f"Keys written twice in the OpenAPI document: {sorted(set(repeated))}"


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


# --- One name, one schema ----------------------------------------------------------------------


def _models_in(annotation, found: set) -> None:
    """Every pydantic model an annotation uses, however deeply (list[X], X | None, fields of X...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found)


def _operations():
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                yield f"{'/'.join(operation.methods)} {path}", operation


def _schema_classes() -> dict[str, set[str]]:
    """Schema name -> the classes (module.qualname) that the operations' bodies and answers use under it."""
    classes: dict[str, set[str]] = defaultdict(set)
    for _label, operation in _operations():
        found: set = set()
        for response_model in (operation.response_models or {}).values():
            if response_model is not None:
                _models_in(response_model.model_fields["response"].annotation, found)
        for input_model in operation.models:
            if input_model.__ninja_param_source__ == "body":
                _models_in(input_model, found)
        for model in found:
            if model.__module__ != "abc":  # ninja's own per-operation wrappers (BodyParams, Paged...) are not named
                classes[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    return classes


def test_no_schema_name_is_used_by_two_classes():
    """The OpenAPI components are keyed by class name: two classes under one name would silently describe
    one of them with the other's fields."""
    clashes = {name: sorted(where) for name, where in _schema_classes().items() if len(where) > 1}
    assert not clashes, f"Give these schemas names of their own (e.g. PlanVersionOut): {clashes}"


# --- Every error an operation can answer is declared -------------------------------------------

# Writes with a token that no permission rule can refuse, and why (the others must declare 403).
WRITES_WITHOUT_PERMISSION_CHECK = {
    "POST /api/v1/comments/{target}/{object_id}": "every account may comment; a sanction is a 422 refusal",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def _missing(schema: dict, status: int, applies) -> list[str]:
    """The operations that ``applies(method, operation, parameter sources, label)`` to and that do not
    declare ``status``."""
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            sources = {parameter["in"] for parameter in operation.get("parameters", [])}
            if applies(method, operation, sources, label) and str(status) not in operation["responses"]:
                missing.append(label)
    return missing


def _constrained(parameter_schema: dict) -> bool:
    free_text = parameter_schema.get("type") == "string" and not (
        set(parameter_schema) & {"pattern", "minLength", "maxLength", "enum", "format"}
    )
    return not free_text


def test_every_operation_with_input_declares_422(schema):
    """A body, or a parameter with a type or a constraint (a number, a pattern, a length), can be invalid:
    the handlers answer 422. Only free text in the path or the query cannot."""

    def can_be_invalid(method, operation, sources, label):
        return "requestBody" in operation or any(
            _constrained(parameter.get("schema", {})) for parameter in operation.get("parameters", [])
        )

    missing = _missing(schema, 422, can_be_invalid)
    assert not missing, f"Declare 422: Error on {missing}"


def test_every_operation_with_a_path_parameter_declares_404(schema):
    missing = _missing(schema, 404, lambda method, operation, sources, label: "path" in sources)
    assert not missing, f"Declare 404: Error on {missing}"


def test_every_operation_with_a_token_declares_401(schema):
    missing = _missing(schema, 401, lambda method, operation, sources, label: bool(operation.get("security")))
    assert not missing, f"Declare 401: Error on {missing}"


def test_every_write_with_a_token_declares_403(schema):
    def checks_permissions(method, operation, sources, label):
        return (
            method in WRITE_METHODS and bool(operation.get("security")) and label not in WRITES_WITHOUT_PERMISSION_CHECK
        )

    missing = _missing(schema, 403, checks_permissions)
    assert not missing, f"Declare 403: Error on {missing} (or list them in WRITES_WITHOUT_PERMISSION_CHECK)"


# --- Only the API's handlers build error answers -----------------------------------------------


def test_no_router_builds_its_own_error_response():
    """Routers raise domain exceptions (ValidationError, PermissionDenied, Refused, RateLimited, Http404);
    kelisim.api.api maps them to the one error shape."""
    routers = Path(api_module.__file__).parent / "routers"
    builders = [
        f"{module.name}:{number}"
        for module in sorted(routers.glob("*.py"))
        for number, line in enumerate(module.read_text().splitlines(), start=1)
        if re.search(r"JsonResponse\(\s*error_payload\(", line)
    ]
    assert not builders, f"Raise the domain exception instead of answering with an error here: {builders}"
