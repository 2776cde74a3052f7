import pytest

from kelisim.publications.tests.factories import ArticleFactory, TagFactory, draft

pytestmark = pytest.mark.django_db


def test_articles_list_only_public_ones_with_their_links(client):
    article = ArticleFactory(title="Roundtable", language="ru")
    article.tags.add(TagFactory(slug="roundtable"))
    draft(title="Secret")
    body = client.get("/api/v1/articles").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "Roundtable"
    assert item["tags"] == ["roundtable"]
    assert item["url"] == f"http://127.0.0.1:8000/ru/news/{article.slug}/"
    assert client.get("/api/v1/articles", {"language": "en"}).json()["count"] == 0


def test_one_article_by_address(client):
    article = ArticleFactory(body="**bold**")
    body = client.get(f"/api/v1/articles/{article.slug}").json()
    assert body["body_html"] == "<p><strong>bold</strong></p>"
    assert client.get(f"/api/v1/articles/{draft().slug}").status_code == 404


def test_an_articles_comments_are_read_through_the_comments_api(client):
    from kelisim.comments.tests.factories import CommentFactory

    article = ArticleFactory()
    CommentFactory(target=article, text="Well said")
    body = client.get(f"/api/v1/comments/publications.article/{article.pk}").json()
    assert [item["text"] for item in body["items"]] == ["Well said"]
