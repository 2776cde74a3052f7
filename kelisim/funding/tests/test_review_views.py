"""Assigning reviewers, the review page and conflicts of interest (funding/views/review.py)."""

import re

import pytest
from django.urls import reverse

from kelisim.accounts.tests.factories import UserFactory, sign_in
from kelisim.funding.models import Call, ReviewAssignment
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_reviewer_scores_and_then_sees_the_other_scores_but_not_who_gave_them(client):
    officer = factories.officer()
    application = factories.submitted_application()
    first, second = factories.reviewer(display_name="First Reviewer"), factories.reviewer()
    factories.reviewed_application(application, officer, [first], scores=((9, 3),))
    assignment = factories.assignment_for(application, second, actor=officer)
    sign_in(client, second)
    page = client.get(reverse("funding:review", args=[assignment.pk])).content.decode()
    assert "Other reviewer 1" not in page and "9/10" not in page
    criteria = list(application.call.criteria.all())
    data = {f"score_{c.pk}": "7" for c in criteria}
    response = client.post(reverse("funding:review", args=[assignment.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("funding:review", args=[assignment.pk])).content.decode()
    assert "Other reviewer 1: 66.0" in page and "Relevance: 9/10" in page
    assert "First Reviewer" not in page  # reviewers' names are for the programme officers only


def test_a_decided_application_closes_its_open_reviews(client):
    officer = factories.officer()
    application = factories.submitted_application()
    late = factories.reviewer()
    leftover = factories.assignment_for(application, late, actor=officer)
    factories.two_reviews(application, officer)
    from kelisim.funding import services

    services.determine_application(actor=officer, application=application, decision="reject", reason="Thin plan.")
    sign_in(client, late)
    page = client.get(reverse("funding:review", args=[leftover.pk])).content.decode()
    assert "already decided; its review is closed" in page and "Submit review" not in page
    data = {f"score_{c.pk}": "9" for c in application.call.criteria.all()}
    assert client.post(reverse("funding:review", args=[leftover.pk]), data).status_code == 200
    leftover.refresh_from_db()
    assert leftover.status == ReviewAssignment.Status.ASSIGNED and not leftover.scores.exists()


def test_conflicted_reviewer_is_blocked(client):
    officer = factories.officer()
    application = factories.submitted_application()
    insider = factories.reviewer()
    factories.member(application.organisation).delete()  # another member, just to be sure memberships vary
    from kelisim.organisations.models import Membership

    Membership.objects.create(user=insider, organisation=application.organisation, status="active")
    assignment = factories.assignment_for(application, insider, actor=officer)
    assert assignment.status == ReviewAssignment.Status.CONFLICTED
    sign_in(client, insider)
    assert client.get(reverse("funding:review", args=[assignment.pk])).status_code == 404
    assert client.post(reverse("funding:review", args=[assignment.pk]), {}).status_code == 404


def test_the_assign_form_offers_only_the_calls_pool(client):
    officer = factories.officer()
    application = factories.submitted_application()
    in_pool = factories.reviewer(display_name="Pool Reviewer")
    outsider = factories.reviewer(display_name="Outside Reviewer")
    UserFactory(display_name="Not A Reviewer")
    application.call.reviewer_pool.set([in_pool])
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    select = re.search(r'<select name="reviewer".*?</select>', page, re.S).group(0)
    assert "Pool Reviewer" in select and "Outside Reviewer" not in select and "Not A Reviewer" not in select
    response = client.post(reverse("funding:application_assign", args=[application.pk]), {"reviewer": outsider.pk})
    assert response.status_code == 302 and not application.assignments.exists()
    assert "Choose a reviewer." in client.get(application.get_absolute_url()).content.decode()
    client.post(reverse("funding:application_assign", args=[application.pk]), {"reviewer": in_pool.pk})
    assert application.assignments.get().reviewer == in_pool


def test_an_open_review_of_a_decided_application_reads_closed(client):
    from kelisim.funding import services

    officer = factories.officer()
    application = factories.submitted_application()
    late = factories.reviewer()
    leftover = factories.assignment_for(application, late, actor=officer)
    sign_in(client, late)
    assert '<span class="badge">Assigned</span>' in client.get(reverse("funding:reviews")).content.decode()
    factories.two_reviews(application, officer)
    services.determine_application(actor=officer, application=application, decision="reject", reason="Thin plan.")
    listing = client.get(reverse("funding:reviews")).content.decode()
    assert '<span class="badge">Closed</span>' in listing and "Assigned" not in listing
    page = client.get(reverse("funding:review", args=[leftover.pk])).content.decode()
    assert '<span class="badge">Closed</span>' in page and "Assigned" not in page
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert f"{leftover.reviewer_label} — Closed" in page
    assert late.pk not in services.reviewer_load()


def test_a_declared_conflict_leads_back_to_the_reviews_list(client):
    application = factories.submitted_application()
    person = factories.reviewer()
    assignment = factories.assignment_for(application, person)
    sign_in(client, person)
    response = client.post(reverse("funding:review_conflict", args=[assignment.pk]), {"note": "I chair its board."})
    assert response.status_code == 302 and response.url == reverse("funding:reviews")
    assignment.refresh_from_db()
    assert assignment.status == ReviewAssignment.Status.CONFLICTED


def test_staff_pages_mark_a_call_title_shown_in_another_language(client):
    """Issue 16: the reviewer's page and the officers' dashboard and application list name a call written in
    Russian only with its lang and a note."""
    officer = factories.officer()
    application = factories.submitted_application()
    Call.objects.filter(pk=application.call_id).update(title_kk="", title_en="", title_ru="Работа с молодёжью")
    person = factories.reviewer()
    assignment = factories.assignment_for(application, person, actor=officer)
    note = '<small class="language-note" lang="en">(shown in Russian)</small>'
    marked = f'<span lang="ru">Работа с молодёжью</span> {note}'
    sign_in(client, person)
    assert marked in client.get(reverse("funding:review", args=[assignment.pk])).text
    sign_in(client, officer)
    assert marked in client.get(reverse("funding:dashboard")).text
    assert marked in client.get(reverse("funding:applications")).text
