"""Signed-in pages and staff queues cost at most ten queries, however much work waits (issue 13).

Each page is requested by the person it is for, with a little of every kind of work in the database, then again
after more of it was added: the count must stay the same and within the budget.
"""

import pytest
from django.urls import reverse

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.activities.models import ReportStatus
from kelisim.activities.tests.factories import ReportFactory
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations.tests import factories as consultations
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding.tests import factories as funding
from kelisim.notifications import services as notifications
from kelisim.organisations.models import Membership
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BUDGET = 10


def _work(version, call, count: int = 3) -> None:
    """Some of every kind of staff work: suggestions, held and hidden comments, reports, applications, joins."""
    for number in range(count):
        consultations.suggestion(version, text=f"Suggestion number {number} about youth clubs in the villages.")
    article = ArticleFactory()
    CommentFactory.create_batch(count, target=article, status=Comment.Status.PENDING)
    CommentFactory.create_batch(count, target=article, status=Comment.Status.HIDDEN)
    ReportFactory.create_batch(count, status=ReportStatus.SUBMITTED)
    for _ in range(count):
        funding.submitted_application(call)
    organisation = OrganisationFactory()
    MembershipFactory.create_batch(count, organisation=organisation, status=Membership.Status.PENDING)


STAFF_PAGES = {
    "triage queue": "consultations:triage",
    "activity reports to verify": "activities:queue",
    "applications": "funding:applications",
    "comment moderation": "comments:queue",
    "join requests": "organisations:join_requests",
    "notifications inbox": "notifications:inbox",
    "profile": "accounts:profile",
}


@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_a_staff_page_stays_within_ten_queries_whatever_waits(client, name):
    version, call = consultations.open_version(), funding.open_call()
    _work(version, call)
    administrator = make_staff(Role.ADMINISTRATOR)  # sees every staff queue on My work
    sign_in(client, administrator)
    assert_queries_do_not_grow(client, reverse(STAFF_PAGES[name]), add_data=lambda: _work(version, call), limit=BUDGET)


def test_my_work_stays_within_ten_queries_for_the_person_with_every_staff_queue(client):
    """An administrator sees twelve queues and more: their counts and first rows are read in one query."""
    version, call = consultations.open_version(), funding.open_call()
    _work(version, call)
    administrator = make_staff(Role.ADMINISTRATOR)
    sign_in(client, administrator)
    assert_queries_do_not_grow(client, reverse("worklists:home"), add_data=lambda: _work(version, call), limit=BUDGET)


def test_an_ngo_members_pages_stay_within_ten_queries(client):
    member = UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=member, organisation=organisation, role=Membership.Role.ADMIN)

    def more():
        for _ in range(3):
            Membership.objects.create(user=UserFactory(), organisation=organisation, status=Membership.Status.PENDING)
        ReportFactory.create_batch(3, organisation=organisation, status=ReportStatus.RETURNED)
        for number in range(3):
            notifications.notify(
                recipients=[member], kind="comments.reply", params={"title": f"Reply {number}"}, email=False
            )

    more()
    sign_in(client, member)
    for url in (reverse("worklists:home"), reverse("notifications:inbox"), reverse("accounts:profile")):
        assert_queries_do_not_grow(client, url, add_data=more, limit=BUDGET)
