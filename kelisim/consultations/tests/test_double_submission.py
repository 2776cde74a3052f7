import pytest
from django.urls import reverse

from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories
from kelisim.core.tests.double_submission import assert_carries_token, post_twice

pytestmark = pytest.mark.django_db


def test_the_suggestion_form_posted_twice_with_one_token_stores_one_suggestion(client):
    version = factories.open_version()
    url = reverse("consultations:suggest", args=[version.document.slug, version.number])
    assert_carries_token(client, url)
    post_twice(client, url, {"text": "Open youth clubs in every district centre."})
    assert Suggestion.objects.count() == 1
