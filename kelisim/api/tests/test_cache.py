"""The public API's lists for anonymous clients are answered once per change (api/cache.py)."""

import pytest
from django.test import Client

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.tests.helpers import bearer, make_token
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles"


def test_an_anonymous_list_is_kept_until_its_data_changes(client, django_assert_num_queries):
    article = ArticleFactory(title="Prevention in schools")
    first = client.get(ARTICLES)
    assert first.status_code == 200 and first["X-Kelisim-Page"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(ARTICLES)
    assert second["X-Kelisim-Page"] == "hit" and second.content == first.content
    assert second["Cache-Control"] == "public, max-age=10"
    assert Client().get(ARTICLES, headers={"if-none-match": first["ETag"]}).status_code == 304
    article.title = "Prevention in families"
    article.save()
    changed = Client().get(ARTICLES)
    assert changed["X-Kelisim-Page"] == "miss"
    assert "Prevention in families" in changed.content.decode()


def test_query_parameters_are_kept_apart(client):
    ArticleFactory()
    assert client.get(ARTICLES + "?limit=1")["X-Kelisim-Page"] == "miss"
    assert client.get(ARTICLES + "?limit=2")["X-Kelisim-Page"] == "miss"
    assert client.get(ARTICLES + "?limit=1")["X-Kelisim-Page"] == "hit"


def test_a_client_with_a_token_gets_its_own_answer(client):
    ArticleFactory()
    client.get(ARTICLES)
    response = client.get(ARTICLES, **bearer(make_token(UserFactory())))
    assert response.status_code == 200
    assert "X-Kelisim-Page" not in response
    me = client.get("/api/v1/me")
    assert "X-Kelisim-Page" not in me or me.status_code != 200
