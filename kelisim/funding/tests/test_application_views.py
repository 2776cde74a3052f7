"""The applicant's draft editor, the application page with the officer's decisions (funding/views/applications.py)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kelisim.accounts.tests.factories import UserFactory, sign_in
from kelisim.core.models import OutboxEmail
from kelisim.funding.models import Application, Call, Contract
from kelisim.funding.tests import factories

pytestmark = pytest.mark.django_db


def _edit_post(call, **extra):
    question = call.questions.get(kind="long_text")
    data = {
        "title": "Peace lectures",
        "summary": "Twenty lectures in colleges.",
        question.field_name: "Through student councils.",
        "budget_item_0": "Lecturers",
        "budget_amount_0": "800 000",
        "budget_item_1": "Travel",
        "budget_amount_1": "200000",
        "action": "save",
    }
    data.update(extra)
    return data


def _draft(client):
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    sign_in(client, applicant)
    response = client.post(
        reverse("funding:application_start", args=[call.reference]), {"organisation": organisation.pk}
    )
    application = Application.objects.get(organisation=organisation)
    assert response.url == reverse("funding:application_edit", args=[application.pk])
    return call, application, applicant


def test_invalid_post_keeps_everything_typed_and_saves_it(client):
    call, application, _ = _draft(client)
    question = call.questions.get(kind="long_text")
    long_answer = "Every school in the region. " * 30  # over the 500-character limit
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]),
        _edit_post(call, summary="", budget_amount_0="lots", **{question.field_name: long_answer}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert "lots" in page and "Peace lectures" in page and long_answer.strip() in page
    assert "is not an amount in tenge" in page
    application.refresh_from_db()
    assert application.title == "Peace lectures"
    assert application.answers[str(question.pk)] == long_answer


def test_submit_from_the_form_sends_a_receipt_and_locks_the_application(client):
    call, application, applicant = _draft(client)
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]), _edit_post(call, action="submit")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert OutboxEmail.objects.filter(to=applicant.email, topic="funding receipt").exists()
    again = client.get(reverse("funding:application_edit", args=[application.pk]))
    assert again.url == application.get_absolute_url()


def test_submit_after_deadline_is_refused_with_a_message_and_kept(client):
    call, application, _ = _draft(client)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]), _edit_post(call, action="submit")
    )
    assert response.status_code == 200
    assert "can no longer be submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.title == "Peace lectures"


def test_expired_session_keeps_the_typed_text_until_sign_in(client):
    call, application, applicant = _draft(client)
    client.logout()
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]), _edit_post(call, title="Kept title")
    )
    assert "/accounts/login/" in response.url
    restore_url = response.url.split("next=")[1]
    from urllib.parse import unquote

    sign_in(client, applicant)
    page = client.get(unquote(restore_url)).content.decode()
    assert "Kept title" in page
    assert "We kept what you typed" in page


def test_upload_with_wrong_content_is_refused_but_the_rest_is_saved(client):
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)
    from kelisim.funding import services

    services.add_question(actor=officer, call=call, kind="file", label_en="Work plan")
    services.transition_call(actor=officer, call=call, to="published")
    organisation = factories.verified_organisation()
    sign_in(client, factories.member(organisation))
    client.post(reverse("funding:application_start", args=[call.reference]), {"organisation": organisation.pk})
    application = Application.objects.get(organisation=organisation)
    file_question = call.questions.get(kind="file")
    fake = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    data = _edit_post(call)
    data.pop(file_question.field_name, None)
    text_question = call.questions.get(kind="long_text")
    data[text_question.field_name] = "Through student councils."
    data[file_question.field_name] = fake
    response = client.post(reverse("funding:application_edit", args=[application.pk]), data)
    assert "is not one of the accepted kinds (PDF, DOCX, XLSX, PNG, JPEG, GIF, WebP)" in response.content.decode()
    assert Application.objects.get(pk=application.pk).title == "Peace lectures"


def test_the_page_shows_each_submitted_revision_with_its_files(client):
    from kelisim.funding import services

    officer = factories.officer()
    application, applicant, plan = factories.draft_with_file_question(officer)
    services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf("v1.pdf"), question=plan)
    services.submit_application(actor=applicant, application=application)
    services.determine_application(actor=officer, application=application, decision="changes", reason="Dates?")
    services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf("v2.pdf"), question=plan)
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Submitted revisions" in page and "Revision 1" in page
    old_file = application.revisions.get().files.get()
    assert reverse("funding:revision_file", args=[old_file.pk]) in page and "v1.pdf" in page
    download = client.get(reverse("funding:revision_file", args=[old_file.pk]))
    assert b"".join(download.streaming_content) == factories.PDF_BYTES
    assert 'filename="v1.pdf"' in download["Content-Disposition"]  # the name it was given, typed by content


def test_applicants_see_only_their_own_organisations_applications(client):
    mine = factories.submitted_application()
    other = factories.submitted_application(call=mine.call)
    sign_in(client, mine.submitted_by)
    page = client.get(reverse("funding:applications")).content.decode()
    assert mine.organisation.name in page and other.organisation.name not in page
    assert client.get(other.get_absolute_url()).status_code == 404


def test_officer_awards_and_contracts(client):
    officer = factories.officer()
    application = factories.two_reviews(factories.submitted_application(), officer)
    sign_in(client, officer)
    client.post(
        reverse("funding:application_determine", args=[application.pk]),
        {"decision": "approve", "amount_kzt": "900000", "reason": "Clear plan."},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert "Clear plan." in OutboxEmail.objects.get(topic="funding determination").body_text
    response = client.post(
        reverse("funding:contract_create", args=[application.pk]),
        {"period_start": "2017-03-01", "period_end": "2017-12-31"},
    )
    contract = Contract.objects.get(application=application)
    assert response.url == contract.get_absolute_url()
    assert contract.amount_kzt == Decimal(900_000)


def test_officer_sees_the_reviews_in_and_why_approving_waits(client):
    officer = factories.officer()
    application = factories.submitted_application()
    factories.reviewed_application(application, officer, [factories.reviewer(display_name="Saule Reviewer")])
    factories.assignment_for(application, factories.reviewer(display_name="Bolat Reviewer"), actor=officer)
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "1 of 2 reviews in" in page
    assert "Saule Reviewer" in page and "Bolat Reviewer" in page
    assert "only after 2 independent reviews are in" in page
    assert re.search(r'<input[^>]*value="approve"[^>]*disabled', page)
    assert re.search(r'<input[^>]*value="reject"[^>]*disabled', page)
    assert not re.search(r'<input[^>]*value="changes"[^>]*disabled', page)
    ranking = client.get(reverse("funding:ranking", args=[application.call.reference])).content.decode()
    assert "1 of 2 reviews in" in ranking and "Not yet ready to approve or reject." in ranking


def test_reviews_of_an_earlier_revision_are_marked_after_a_resubmission(client):
    from kelisim.funding import services

    officer = factories.officer()
    application = factories.two_reviews(factories.submitted_application(), officer)
    assert set(application.assignments.values_list("revision_scored", flat=True)) == {1}
    services.determine_application(
        actor=officer, application=application, decision=services.Determination.CHANGES, reason="Add a travel plan."
    )
    applicant = application.submitted_by
    services.save_draft(
        actor=applicant,
        application=application,
        title="Peace lectures, with travel plan",
        summary="Twenty lectures.",
        answers={str(q.pk): "Schools" for q in application.call.questions.exclude(kind="budget")},
        budget=[services.BudgetRow("Fees", Decimal(1_200_000))],
    )
    services.submit_application(actor=applicant, application=application)
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert page.count("scored revision 1") == 2  # the officer sees the scores are about the earlier text
    ranking = client.get(reverse("funding:ranking", args=[application.call.reference])).content.decode()
    assert ranking.count("(scored revision 1)") == 2


def test_approval_refused_before_the_reviews_keeps_what_was_typed(client):
    officer = factories.officer()
    application = factories.submitted_application()
    factories.reviewed_application(application, officer, [factories.reviewer()])
    sign_in(client, officer)
    response = client.post(
        reverse("funding:application_determine", args=[application.pk]),
        {"decision": "approve", "amount_kzt": "900000", "reason": "Strong local partners in Taraz."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "only after 2 independent reviews are in; conflicted reviewers do not count." in page
    assert "1 of 2 reviews in so far." in page
    assert "Strong local partners in Taraz." in page and 'value="900000"' in page
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not OutboxEmail.objects.filter(topic="funding determination").exists()
    # Asking for changes needs no review.
    response = client.post(
        reverse("funding:application_determine", args=[application.pk]),
        {"decision": "changes", "reason": "Attach the work plan."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.CHANGES_REQUESTED


def test_a_refused_contract_comes_back_with_what_was_typed(client):
    officer = factories.officer()
    contract = factories.signed_contract(actor=officer)
    sign_in(client, officer)
    response = client.post(
        reverse("funding:contract_create", args=[contract.application.pk]),
        {"number": "KLS-2017-TYPED", "period_start": "2017-03-01", "period_end": "2017-12-31"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already has a contract" in page and "KLS-2017-TYPED" in page


def test_long_answers_get_the_shared_live_counter(client):
    call, application, _ = _draft(client)
    question = call.questions.get(kind="long_text")
    page = client.get(reverse("funding:application_edit", args=[application.pk])).content.decode()
    field_id = f"id_{question.field_name}"
    assert f'data-counter-max="500" data-counter-target="{field_id}_counter"' in page
    assert f'id="{field_id}_counter"' in page and "{count} of {max} characters" in page
    assert "core/counter.js" in page and "consultations/" not in page  # one script, styled by kelisim.css
    assert "At most 500 characters." in page  # the limit, for readers without JavaScript


def test_signed_out_visitor_is_sent_to_sign_in_for_applications(client):
    response = client.get(reverse("funding:applications"))
    assert "/accounts/login/" in response.url


def test_other_people_cannot_start_for_an_organisation(client):
    call = factories.open_call()
    organisation = factories.verified_organisation()
    sign_in(client, UserFactory())
    response = client.post(
        reverse("funding:application_start", args=[call.reference]), {"organisation": organisation.pk}
    )
    assert response.status_code == 403


# --- The budget table: a question of its own, as many lines as needed ------------------------------------


def _edit(client, application, data):
    return client.post(reverse("funding:application_edit", args=[application.pk]), data)


def test_the_budget_table_sits_where_the_officer_put_it(client):
    from kelisim.funding import services

    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False)  # a long text, then the budget table
    services.add_question(actor=officer, call=call, kind="short_text", label_en="Who are your partners?")
    call = services.transition_call(actor=officer, call=call, to="published")
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    sign_in(client, applicant)
    page = client.get(reverse("funding:application_edit", args=[application.pk])).content.decode()
    assert page.index("How will you reach young people?") < page.index('id="budget"') < page.index("Who are your")
    sign_in(client, officer)
    page = client.get(application.get_absolute_url()).content.decode()
    assert page.index("How will you reach young people?") < page.index("Lecturers&#x27; fees") < page.index("Who are")


def test_add_a_line_saves_the_draft_and_offers_one_more_empty_row(client):
    call, application, _ = _draft(client)
    response = _edit(client, application, _edit_post(call, action="add_line"))
    assert response.status_code == 200
    assert [line.item for line in application.budget_lines.all()] == ["Lecturers", "Travel"]
    page = response.content.decode()
    assert re.search(r'<input[^>]*name="budget_item_2"[^>]*autofocus', page)  # the new row, empty and focused
    assert 'name="budget_item_3"' not in page
    assert "Budget item 3" in page and "Add a line" in page


def test_a_budget_takes_more_lines_than_the_old_eight_and_drops_empty_and_removed_ones(client):
    call, application, _ = _draft(client)
    data = _edit_post(call)
    for index in range(2, 11):
        data[f"budget_item_{index}"] = f"Meeting {index - 1}"
        data[f"budget_amount_{index}"] = "10000"
    data |= {"budget_item_1": "", "budget_amount_1": ""}  # an emptied row goes
    response = _edit(client, application, data)
    assert response.status_code == 200
    items = [line.item for line in application.budget_lines.all()]
    assert items == ["Lecturers"] + [f"Meeting {n}" for n in range(1, 10)]
    page = response.content.decode()
    assert 'value="Meeting 9"' in page and 'name="budget_item_9"' in page and 'name="budget_item_10"' not in page
    # "Remove line 1" drops that line and renumbers the rest.
    data = {key: value for key, value in data.items() if not key.startswith("budget_")}
    data |= {"budget_item_0": "Lecturers", "budget_amount_0": "800000", "budget_item_1": "Travel"}
    data |= {"budget_amount_1": "lots", "remove_line": "0"}
    data.pop("action")
    page = _edit(client, application, data).content.decode()
    assert [line.item for line in application.budget_lines.all()] == ["Travel"]
    assert re.search(r'name="budget_item_0"[^>]*value="Travel"|value="Travel"[^>]*name="budget_item_0"', page)
    assert "Line 1: “lots” is not an amount in tenge." in page  # numbered as shown again, and kept as typed
    assert 'value="lots"' in page


def test_a_call_without_a_budget_table_shows_no_budget(client):
    call = factories.open_call(budget=False)
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    sign_in(client, applicant)
    page = client.get(reverse("funding:application_edit", args=[application.pk])).content.decode()
    assert "budget_item_0" not in page and "Add a line" not in page and "Budgets from" not in page
    response = _edit(client, application, _edit_post(call, action="submit"))
    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Amount, KZT" not in page and "Revision 1" not in page  # no budget, no total in the revision either
