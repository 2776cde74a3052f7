import pytest

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.tests.helpers import assert_error, bearer, make_token
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.comments.tests.hosts import HOST_KEY

pytestmark = pytest.mark.django_db


def url(host):
    return f"/api/v1/comments/{HOST_KEY}/{host.pk}"


def test_reading_shows_published_comments_without_email(client, host):
    CommentFactory(target=host, text="Published", author_email="secret@example.kz")
    CommentFactory(target=host, text="Held", status=Comment.Status.PENDING)
    body = client.get(url(host)).json()
    assert body["count"] == 1
    assert body["items"][0]["text"] == "Published"
    assert "secret@example.kz" not in str(body)


def test_an_unknown_target_is_not_found(client):
    assert_error(client.get("/api/v1/comments/accounts.user/1"), 404, "not_found")


def test_posting_needs_a_token(client, host):
    response = client.post(url(host), {"text": "Hi", "accept_policy": True}, content_type="application/json")
    assert_error(response, 401, "unauthorized")


def test_a_token_posts_through_the_same_pipeline(client, host):
    raw = make_token(UserFactory())
    payload = {"text": "  Lectures in schools would help.  ", "accept_policy": True, "language": "en"}
    response = client.post(url(host), payload, content_type="application/json", **bearer(raw))
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["reason"] == "new_author"
    assert Comment.objects.get().text == "Lectures in schools would help."


@pytest.mark.parametrize(("text", "code"), [("x" * 1501, "too_long"), ("<i>x</i>", "html"), ("   ", "empty")])
def test_refusals_carry_the_pipeline_reason(client, host, text, code):
    raw = make_token(UserFactory())
    response = client.post(
        url(host), {"text": text, "accept_policy": True}, content_type="application/json", **bearer(raw)
    )
    assert_error(response, 422, code)
    assert not Comment.objects.exists()


def test_exactly_1500_characters_pass_by_the_api(client, host):
    raw = make_token(UserFactory())
    response = client.post(
        url(host), {"text": "ү" * 1500, "accept_policy": True}, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201


def test_the_policy_must_be_accepted(client, host):
    raw = make_token(UserFactory())
    response = client.post(
        url(host), {"text": "Hi", "accept_policy": False}, content_type="application/json", **bearer(raw)
    )
    assert_error(response, 422, "invalid")


def test_the_sixth_comment_in_a_minute_is_rate_limited(client, host):
    raw = make_token(UserFactory())
    for number in range(5):
        response = client.post(
            url(host),
            {"text": f"Point {number}", "accept_policy": True},
            content_type="application/json",
            **bearer(raw),
        )
        assert response.status_code == 201
    response = client.post(
        url(host), {"text": "Sixth", "accept_policy": True}, content_type="application/json", **bearer(raw)
    )
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] == "60"
