"""Requests that used to end in a server error: unstorable text, and a database that cannot be reached."""

import gzip
import json
import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.api import api
from kelisim.core.middleware import is_storable
from kelisim.core.text import storable

pytestmark = pytest.mark.django_db

UNSTORABLE = st.sampled_from(["\x00", "\ud800", "\udfff", "\udbff"])


def unstorable_text():
    """Any text with at least one NUL or lone surrogate somewhere in it."""
    return st.tuples(st.text(max_size=20), UNSTORABLE, st.text(max_size=20)).map("".join)


def json_body_operations():
    """(method, path, [string properties]) of every API operation that takes a JSON body."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not content:
                continue
            reference = content["schema"].get("$ref", "")
            properties = components.get(reference.rsplit("/", 1)[-1], {}).get("properties", {})
            strings = [name for name, spec in properties.items() if "string" in json.dumps(spec)]
            found.append((method, path.replace("{", "").replace("}", ""), strings))
    return found


@given(st.text())
def test_text_is_storable_exactly_when_it_has_no_nul_and_no_lone_surrogate(text):
    assert is_storable(text) == ("\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text))


@given(st.text())
def test_storable_repairs_exactly_what_is_not_storable(text):
    repaired = storable(text)
    assert is_storable(repaired)
    assert repaired == text if is_storable(text) else len(repaired) <= len(text)


def test_every_text_field_of_every_api_body_refuses_unstorable_text_before_any_limit_counts(client):
    operations = json_body_operations()
    assert len(operations) >= 5, operations
    with mock.patch("kelisim.core.ratelimit.count") as counted:
        for method, path, fields in operations:
            for field in fields:
                body = json.dumps({field: "a\ud800b"})  # json.dumps writes the surrogate as an escape
                response = getattr(client, method.lower())(path, body, content_type="application/json")
                assert response.status_code == 422, (method, path, field, response.content)
                error = response.json()["error"]
                assert error["code"] == "invalid"
                assert error["details"][0]["loc"] == ["body", field]
    counted.assert_not_called()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=unstorable_text())
def test_api_json_and_query_strings_with_unstorable_text_get_422_not_500(client, text):
    response = client.post(
        "/api/v1/consultations/suggestions",
        json.dumps({"document": "draft", "text": text, "title": "t"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "text"]
    if "\x00" in text:  # a URL cannot carry a lone surrogate at all
        query = "".join(char for char in text if not "\ud800" <= char <= "\udfff")
        response = client.get("/api/v1/organisations", {"q": query})
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["loc"] == ["query", "q"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.tuples(st.text(max_size=20), st.just("\x00"), st.text(max_size=20)).map("".join))
def test_forms_and_searches_with_a_nul_get_a_page_in_the_readers_language(client, text):
    for language, phrase in (("en", "cannot be stored"), ("ru", "нельзя сохранить")):
        response = client.get(f"/{language}/organisations/", {"q": text})
        assert response.status_code == 422
        assert phrase in response.content.decode()
    response = client.post("/en/comments/1/report/", {"reason": text})
    assert response.status_code == 422


def database_down():
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused"))


@pytest.mark.parametrize(("language", "phrase"), [("en", "temporarily unavailable"), ("kk", "уақытша")])
def test_pages_answer_503_with_retry_after_in_the_readers_language_while_the_database_is_down(client, language, phrase):
    with database_down():
        response = client.get(f"/{language}/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert phrase in text.lower()
    assert "Traceback" not in text and "refused" not in text


def test_signed_in_pages_whose_middleware_needs_the_database_answer_503_too():
    client = Client(raise_request_exception=False)  # as in production: the handler's answer, not the exception
    client.force_login(UserFactory())
    with database_down():
        response = client.get("/en/accounts/profile/")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_the_api_answers_503_in_its_error_format_while_the_database_is_down(client):
    with database_down():
        response = client.get("/api/v1/regions")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["error"]["code"] == "unavailable"


@override_settings(PAGECACHE_ENABLED=False)  # with it, the kept rendering answers first (test_pagecache.py)
def test_public_pages_seen_before_the_outage_keep_answering_from_their_last_copy(client):
    fresh = client.get("/en/")
    assert fresh.status_code == 200
    with database_down():
        during = client.get("/en/")
        never_seen = client.get("/ru/")
    assert during.status_code == 200
    assert during["X-Kelisim-Stale"] == "1"
    assert during.content == fresh.content
    assert never_seen.status_code == 503


def test_a_copy_kept_by_one_process_answers_the_outage_in_another(client, settings, tmp_path):
    """Without Redis the copies are files beside the kept pages: each gunicorn process can answer with them."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    settings.PAGECACHE_ENABLED = False  # the copy, not the kept rendering, answers
    fresh = client.get("/en/")
    del caches["pages"]  # another process: nothing of the first one's in its memory
    caches["default"].clear()
    with database_down():
        during = client.get("/en/")
    assert during["X-Kelisim-Stale"] == "1"
    assert during.content == fresh.content


def test_the_last_copy_of_a_page_answered_compressed_answers_the_outage(client, settings):
    from kelisim.publications.tests.factories import ArticleFactory

    ArticleFactory(title="Prevention in schools")
    fresh = client.get("/en/news/", headers={"accept-encoding": "gzip"})
    assert fresh["Content-Encoding"] == "gzip"
    settings.PAGECACHE_ENABLED = False  # the copy, not the kept rendering, answers
    with database_down():
        during = client.get("/en/news/", headers={"accept-encoding": "gzip"})
    assert during["X-Kelisim-Stale"] == "1"
    assert during.content == gzip.decompress(fresh.content)


def test_the_last_copy_of_a_page_with_a_form_holds_no_visitors_token(settings):
    """A copy another visitor gets must not carry the first visitor's CSRF token (its secret is theirs)."""
    from kelisim.publications.tests.factories import ArticleFactory

    article = ArticleFactory(title="Prevention in schools")
    first = Client()
    first.get("/en/news/")  # the CSRF cookie is set, so the next answer sets none and may be kept
    seen = first.get(article.get_absolute_url()).content
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', seen).group(1)
    settings.PAGECACHE_ENABLED = False
    with database_down():
        during = Client().get(article.get_absolute_url())
    assert during["X-Kelisim-Stale"] == "1"
    assert b"Prevention in schools" in during.content
    assert token not in during.content
    assert b'name="csrfmiddlewaretoken" value=""' in during.content


def test_signed_in_visitors_never_get_someone_elses_copy():
    client = Client(raise_request_exception=False)
    client.get("/en/")
    client.force_login(UserFactory())
    with database_down():
        response = client.get("/en/")
    assert response.status_code == 503
