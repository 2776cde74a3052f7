import pytest
from django.urls import reverse

from kelisim.accounts.tests.factories import sign_in
from kelisim.core.tests.double_submission import assert_carries_token, post_twice
from kelisim.funding.models import Application
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_starting_an_application_twice_with_one_token_starts_one(client):
    call = factories.open_call()
    organisation = factories.verified_organisation()
    sign_in(client, factories.member(organisation))
    assert_carries_token(client, call.get_absolute_url())
    first = post_twice(
        client, reverse("funding:application_start", args=[call.reference]), {"organisation": organisation.pk}
    )
    application = Application.objects.get(organisation=organisation)
    assert first["Location"] == reverse("funding:application_edit", args=[application.pk])
