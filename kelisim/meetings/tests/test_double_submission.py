import pytest
from django.urls import reverse

from kelisim.accounts.tests.factories import sign_in
from kelisim.core.tests.double_submission import assert_carries_token, post_twice
from kelisim.meetings.models import Registration
from kelisim.meetings.tests.factories import member, roundtable

pytestmark = pytest.mark.django_db


def test_the_registration_posted_twice_with_one_token_registers_once(client):
    meeting = roundtable(capacity=5)
    user, organisation = member()
    sign_in(client, user)
    assert_carries_token(client, meeting.get_absolute_url())
    post_twice(client, reverse("meetings:register", args=[meeting.pk]), {"organisation": organisation.pk})
    assert Registration.objects.filter(roundtable=meeting).count() == 1
