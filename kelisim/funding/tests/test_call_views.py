"""The call pages: public list and page, the officer's dashboard, call editor and ranking (funding/views/calls.py)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from kelisim.accounts.tests.factories import sign_in
from kelisim.core.tests.queries import assert_queries_do_not_grow
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def test_call_page_explains_why_an_organisation_cannot_apply(client):
    call = factories.open_call(min_years_registered=30)
    organisation = factories.verified_organisation()
    sign_in(client, factories.member(organisation))
    page = client.get(call.get_absolute_url()).content.decode()
    assert "at least 30 years" in page
    assert "Start an application" not in page


def test_officer_dashboard_flags_overdue_milestones(client):
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    contract.milestones.filter(pk=contract.milestones.first().pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    sign_in(client, officer)
    page = client.get(reverse("funding:dashboard")).content.decode()
    assert "Overdue" in page and contract.number in page


def test_the_dashboard_is_kept_for_every_officer_and_shows_each_change_at_once(django_assert_max_num_queries):
    from django.test import Client

    first = factories.officer()
    call = factories.open_call(actor=first, reference="youth-2027")
    officers = Client(), Client()
    officers[0].force_login(first)
    officers[1].force_login(factories.officer())
    assert "youth-2027" in officers[0].get(reverse("funding:dashboard")).text
    with django_assert_max_num_queries(10) as again:
        assert "youth-2027" in officers[1].get(reverse("funding:dashboard")).text
    assert not [query for query in again.captured_queries if 'FROM "funding_' in query["sql"]]
    contract = factories.signed_contract(actor=first)
    contract.milestones.filter(pk=contract.milestones.first().pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    page = officers[1].get(reverse("funding:dashboard")).text
    assert "Overdue" in page and contract.number in page
    with translation.override("ru"):
        address = reverse("funding:dashboard")
    page = officers[0].get(address).text
    assert "Просроченные этапы" in page and "Overdue milestones" not in page and call.reference in page


def test_call_list_queries_do_not_grow(client):
    officer = factories.officer()
    factories.open_call(actor=officer)
    assert_queries_do_not_grow(
        client,
        reverse("funding:index"),
        add_data=lambda: [factories.open_call(actor=officer, reference=f"more-{n}") for n in range(3)],
        limit=10,
    )


def test_ranking_queries_do_not_grow(client):
    officer = factories.officer()
    first = factories.submitted_application()
    reviewers = [factories.reviewer(), factories.reviewer()]
    factories.reviewed_application(first, officer, reviewers)

    def more():
        for _ in range(3):
            application = factories.submitted_application(call=first.call)
            factories.reviewed_application(application, officer, [factories.reviewer(), factories.reviewer()])

    sign_in(client, officer)
    cache.clear()
    assert_queries_do_not_grow(client, reverse("funding:ranking", args=[first.call.reference]), add_data=more, limit=20)


@pytest.mark.parametrize(("language", "heading"), [("ru", "Конкурсы заявок"), ("kk", "Өтінімдер конкурстары")])
def test_pages_are_translated(client, language, heading):
    """Needs compiled catalogues (`make test` compiles them first)."""
    with translation.override(language):
        url = reverse("funding:index")
    assert url.startswith(f"/{language}/")
    assert heading in client.get(url).content.decode()


def test_a_refused_criterion_comes_back_with_what_was_typed(client):
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)  # a draft whose weights already total 100
    client.force_login(officer)
    response = client.post(
        reverse("funding:criterion_add", args=[call.reference]),
        {"name_en": "Reach in rural districts", "guidance": "Count villages, not events.", "weight": "30"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reach in rural districts" in page and "Count villages, not events." in page
    assert "more than 100%" in page
    assert not call.criteria.filter(name_en="Reach in rural districts").exists()


def test_an_added_question_returns_to_the_call_page(client):
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False, questions=False)
    client.force_login(officer)
    response = client.post(
        reverse("funding:question_add", args=[call.reference]),
        {"kind": "short_text", "label_en": "Who leads the project?", "required": "on"},
    )
    assert response.status_code == 302
    assert call.questions.filter(label_en="Who leads the project?").exists()


def test_an_officer_moves_questions_and_the_budget_table_in_a_draft_call(client):
    from kelisim.funding import services

    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)  # a long text, then the budget table
    services.add_question(actor=officer, call=call, kind="short_text", label_en="Who are your partners?")
    client.force_login(officer)

    def order():
        return [question.kind for question in call.questions.order_by("position", "pk")]

    budget = call.questions.get(kind="budget")
    client.post(reverse("funding:question_move", args=[budget.pk]), {"direction": "up"})
    assert order() == ["budget", "long_text", "short_text"]
    client.post(reverse("funding:question_move", args=[budget.pk]), {"direction": "up"})  # already first
    assert order() == ["budget", "long_text", "short_text"]
    page = client.get(reverse("funding:call_edit", args=[call.reference])).content.decode()
    assert "Move “Who are your partners?” up" in page and "Move “Who are your partners?” down" not in page
    services.remove_question(actor=officer, question=call.questions.get(kind="long_text"))
    assert list(call.questions.order_by("position").values_list("position", flat=True)) == [1, 2]
    services.add_question(actor=officer, call=call, kind="date", label_en="When do you start?")
    assert order() == ["budget", "short_text", "date"]  # a new question comes last, after a removal too

    services.transition_call(actor=officer, call=call, to="published")
    response = client.post(reverse("funding:question_move", args=[budget.pk]), {"direction": "down"}, follow=True)
    assert "Questions can only change while the call is a draft." in response.content.decode()
    assert order() == ["budget", "short_text", "date"]
