import pytest
from django.urls import reverse

from kelisim.activities.models import ATTENDANCE_FIELDS, ActivityReport
from kelisim.activities.tests.factories import OrganisationFactory, member_of
from kelisim.core.models import Region
from kelisim.core.tests.double_submission import assert_carries_token, post_twice
from kelisim.core.tests.factories import StrandFactory

pytestmark = pytest.mark.django_db


def test_the_report_form_posted_twice_with_one_token_stores_one_report(client):
    organisation = OrganisationFactory()
    client.force_login(member_of(organisation))
    strand = StrandFactory(code="youth")
    url = reverse("activities:report_create", args=[organisation.pk])
    assert_carries_token(client, url)
    data = dict.fromkeys((*ATTENDANCE_FIELDS, "online_posts", "online_views", "online_shares"), "0")
    data |= {"region": Region.objects.get(code="KZ-33").pk, "strand": strand.pk, "activity_type": "meeting"}
    data |= {"start_date": "2026-02-10", "end_date": "2026-02-10", "title": "Meeting in a college"}
    data |= {"venue_type": "college", "audience_list": ["working_youth"], "languages": ["kk"], "female_19_29": "6"}
    post_twice(client, url, data)
    assert ActivityReport.objects.count() == 1
