"""My work: what waits for each role, counted, oldest first, each count linking to its filtered queue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kelisim.accounts.models import Role
from kelisim.accounts.tests.factories import UserFactory, make_staff, sign_in
from kelisim.activities.models import ReportStatus
from kelisim.activities.tests.factories import ReportFactory
from kelisim.comments.models import Comment
from kelisim.comments.tests.factories import CommentFactory
from kelisim.consultations.models import Suggestion
from kelisim.consultations.tests import factories as consultations
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding import services as funding_services
from kelisim.funding.models import Call, Milestone
from kelisim.funding.tests import factories as funding
from kelisim.organisations.models import Membership
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory
from kelisim.publications.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _counts(response) -> dict[str, int]:
    return {item.queue.key: item.count for item in response.context["work"]}


def _age(suggestion: Suggestion, days: int) -> None:
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=timezone.now() - timedelta(days=days))


def test_an_officer_sees_suggestions_oldest_first_with_their_age_against_the_target(client):
    officer = make_staff()
    version = consultations.open_version()
    version.answer_within_days = 10
    version.save(update_fields=["answer_within_days"])
    recent = consultations.suggestion(version, text="Open youth clubs in every village of the region.")
    old = consultations.suggestion(version, text="The helpline must work round the clock, every day.")
    _age(old, 12)
    _age(recent, 3)
    sign_in(client, officer)
    response = client.get(reverse("worklists:home"))
    assert response.status_code == 200
    assert _counts(response)["triage"] == 2
    triage = next(item for item in response.context["work"] if item.queue.key == "triage")
    assert [row.title.split(" · ")[0] for row in triage.rows] == [old.reference, recent.reference]
    assert (triage.rows[0].age_days, triage.rows[0].overdue) == (12, True)
    assert (triage.rows[1].age_days, triage.rows[1].overdue) == (3, False)
    body = response.content.decode()
    assert "12 days of 10" in body and "overdue" in body
    # The count links to the triage queue filtered the same way, which lists as many.
    assert triage.url == reverse("consultations:triage") + "?status=open&sort=oldest"
    assert client.get(triage.url).context["page_obj"].paginator.count == 2


def test_the_header_links_to_my_work_when_signed_in_only(client):
    assert 'href="/en/work/"' not in client.get(reverse("core:home")).content.decode()
    sign_in(client, UserFactory())
    assert 'href="/en/work/"' in client.get(reverse("core:home")).content.decode()


def test_a_moderator_sees_held_and_reported_comments_each_linking_to_the_filtered_queue(client):
    moderator = make_staff(Role.MODERATOR)
    CommentFactory.create_batch(2, target=ArticleFactory(), status=Comment.Status.PENDING)
    CommentFactory(target=ArticleFactory(), status=Comment.Status.HIDDEN)
    sign_in(client, moderator)
    response = client.get(reverse("worklists:home"))
    counts = _counts(response)
    assert (counts["comments_held"], counts["comments_reported"]) == (2, 1)
    assert "triage" not in counts  # a moderator is not an officer
    held = next(item for item in response.context["work"] if item.queue.key == "comments_held")
    queue = client.get(held.url)
    assert queue.context["page"].paginator.count == 2


def test_a_reviewer_sees_the_reviews_due(client):
    application = funding.submitted_application()
    person = funding.reviewer()
    funding.assignment_for(application, person)
    sign_in(client, person)
    response = client.get(reverse("worklists:home"))
    assert _counts(response) == {"reviews": 1}
    item = response.context["work"][0]
    assert item.rows[0].url == reverse("funding:review", args=[application.assignments.get().pk])


def test_an_ngo_admin_sees_join_requests_drafts_and_reports_to_correct(client):
    organisation = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(organisation=organisation, status=Membership.Status.PENDING)
    ReportFactory(organisation=organisation, status=ReportStatus.RETURNED)
    ReportFactory(status=ReportStatus.RETURNED)  # another organisation's
    sign_in(client, admin)
    response = client.get(reverse("worklists:home"))
    counts = _counts(response)
    assert counts["member_requests"] == 1 and counts["reports_to_correct"] == 1
    # A queue without a page elsewhere is listed in full on its own page, for that person only.
    full = client.get(reverse("worklists:queue", args=["member_requests"]))
    assert full.status_code == 200 and full.context["page_obj"].paginator.count == 1
    assert client.get(reverse("worklists:queue", args=["triage"])).status_code == 404


def test_a_citizen_is_told_that_nothing_waits(client):
    sign_in(client, UserFactory())
    response = client.get(reverse("worklists:home"))
    assert response.context["work"] == []
    assert "Nothing waits for you here" in response.content.decode()


def test_my_work_needs_an_account(client):
    response = client.get(reverse("worklists:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_query_count_does_not_grow_with_the_work(client):
    officer = make_staff(Role.ADMINISTRATOR)
    version = consultations.open_version()
    sign_in(client, officer)

    def more_work():
        for number in range(6):
            consultations.suggestion(version, text=f"Suggestion number {number} about youth clubs in villages.")
        CommentFactory.create_batch(6, target=ArticleFactory(), status=Comment.Status.PENDING)
        ReportFactory.create_batch(3, status=ReportStatus.SUBMITTED)
        funding.submitted_application()

    assert_queries_do_not_grow(client, reverse("worklists:home"), add_data=more_work, limit=6)


def test_counts_use_plural_forms(client):
    officer = make_staff()
    version = consultations.open_version()
    consultations.suggestion(version)
    sign_in(client, officer)
    body = client.get(reverse("worklists:home")).content.decode()
    assert re.search(r">1</span>\s*<span class=\"figure-label\">suggestion waiting for an answer<", body)


def test_titles_shown_in_another_language_are_marked_with_it_on_my_work(client):
    """Issue 16: a milestone or a call written in Russian only, on the Kazakh page: its lang and a note."""
    contract = funding.signed_contract(milestones=1)  # due in 100 days: not overdue
    overdue = {"due_date": timezone.localdate() - timedelta(days=3), "deliverables_ru": "Отчёт"}
    Milestone.objects.create(contract=contract, title_ru="Первый этап", position=2, **overdue)
    Milestone.objects.create(
        contract=contract, title_ru="Второй этап", title_kk="Екінші кезең", title_en="Stage two", position=3, **overdue
    )
    sign_in(client, make_staff())
    with translation.override("kk"):
        note = f"({translation.gettext('shown in Russian')})"
        url = reverse("worklists:home")
    response = client.get(url)
    rows = next(item for item in response.context["work"] if item.queue.key == "overdue_milestones").rows
    assert [(row.title, row.language) for row in rows] == [
        (f"{contract.number} · Первый этап", "ru"),
        (f"{contract.number} · Екінші кезең", ""),
    ]
    body = response.text
    marked = f'lang="ru">{contract.number} · Первый этап</a> <small class="language-note" lang="kk">{note}</small>'
    assert marked in body
    assert body.count(note) == 1


def test_a_draft_without_a_title_is_named_after_its_call_marked_with_the_calls_language(client):
    call = funding.open_call()
    Call.objects.filter(pk=call.pk).update(title_kk="", title_en="", title_ru="Работа с молодёжью")
    organisation = OrganisationFactory()
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.ADMIN)
    funding_services.start_application(actor=admin, call=call, organisation=organisation)
    sign_in(client, admin)
    with translation.override("en"):
        response = client.get(reverse("worklists:home"))
    [row] = next(item for item in response.context["work"] if item.queue.key == "applications_to_finish").rows
    assert (row.title, row.language) == ("Работа с молодёжью", "ru")
    assert '<small class="language-note" lang="en">(shown in Russian)</small>' in response.text
