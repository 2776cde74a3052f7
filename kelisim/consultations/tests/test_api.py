import pytest

from kelisim.accounts.tests.factories import UserFactory
from kelisim.api.tests.helpers import assert_error, bearer, make_token
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/consultations/suggestions"


@pytest.fixture
def version():
    return factories.open_version()


def post(client, payload, **headers):
    return client.post(URL, payload, content_type="application/json", **headers)


def test_documents_and_their_text_with_stable_ids(client, version):
    page = client.get("/api/v1/consultations/documents").json()
    assert page["count"] == 1
    documents = page["items"]
    assert documents[0]["slug"] == "draft" and documents[0]["versions"][0]["is_open"] is True
    text = client.get("/api/v1/consultations/documents/draft").json()
    keys = [p["key"] for s in text["sections"] for p in s["paragraphs"]]
    assert keys == list(version.paragraphs.order_by("position").values_list("key", flat=True))


def test_anonymous_submission_then_read_without_personal_data(client, version):
    paragraph = version.paragraphs.first()
    response = post(
        client,
        {"document": "draft", "paragraph": paragraph.key, "text": "Open youth clubs in villages.", "strand": ""},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    suggestion = Suggestion.objects.get(reference=created["reference"])
    assert created["follow_url"].endswith(f"/follow/{suggestion.follow_token}/")
    listed = client.get(URL, {"q": "clubs"}).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["paragraph"] == paragraph.key and item["signed"] is False
    assert "follow_token" not in item and "contact_email" not in item and "author" not in item
    assert client.get(f"{URL}/{suggestion.reference}").json()["reference"] == suggestion.reference


def test_token_submission_is_signed(client, version):
    citizen = UserFactory()
    response = post(
        client, {"document": "draft", "text": "A signed suggestion by token."}, **bearer(make_token(citizen))
    )
    assert response.status_code == 201
    assert Suggestion.objects.get().author == citizen
    bad = post(
        client, {"document": "draft", "text": "A signed suggestion by token."}, HTTP_AUTHORIZATION="Bearer kls_x"
    )
    assert_error(bad, 401, "unauthorized")


def test_field_errors_and_rate_limits(client, version):
    error = assert_error(post(client, {"document": "draft", "text": "x" * 1501}), 422, "invalid")
    assert error["details"][0]["loc"] == ["body", "text"] and "1500" in error["details"][0]["message"]
    error = assert_error(
        post(client, {"document": "draft", "text": "Fine text here", "region": "KZ-00"}), 422, "invalid"
    )
    assert error["details"][0]["loc"] == ["body", "region"]
    assert_error(post(client, {"document": "nope", "text": "Fine text here"}), 404, "not_found")
    for index in range(3):
        assert post(client, {"document": "draft", "text": f"Suggestion number {index}"}).status_code == 201
    limited = post(client, {"document": "draft", "text": "The fourth in an hour"})
    assert_error(limited, 429, "rate_limited")
    assert 0 < int(limited["Retry-After"]) <= 3600


def test_closed_consultation_refuses_over_the_api(client):
    factories.open_version(slug="closed", closed=True)
    assert_error(post(client, {"document": "closed", "text": "Too late for this."}), 403, "forbidden")
