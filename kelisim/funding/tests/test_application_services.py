"""Drafts, attachments, submission and determination (funding/services/applications.py)."""

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kelisim.accounts.tests.factories import UserFactory
from kelisim.core import files
from kelisim.core.models import OutboxEmail
from kelisim.funding import rules, services
from kelisim.funding.models import Application, Attachment, Call, Question, ReviewAssignment, RevisionFile
from kelisim.funding.tests import factories
from kelisim.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_only_members_start_an_application():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    with pytest.raises(PermissionDenied):
        services.start_application(actor=UserFactory(), call=call, organisation=organisation)


def test_draft_keeps_invalid_values_and_reports_problems():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation, role=Membership.Role.MEMBER)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    question = call.questions.get(kind="long_text")
    problems = services.save_draft(
        actor=applicant,
        application=application,
        title="Peace lectures",
        summary="",
        answers={str(question.pk): "x" * 600},
        budget=[services.BudgetRow("Everything", Decimal(9_000_000))],
    )
    application.refresh_from_db()
    assert application.answers[str(question.pk)] == "x" * 600
    assert application.budget_total == Decimal(9_000_000)
    assert set(problems) == {"summary", question.field_name, "budget"}
    assert "500" in problems[question.field_name][0]
    assert "3 000 000" in problems["budget"][0]


def test_a_call_without_a_budget_table_asks_for_no_budget():
    call = factories.open_call(budget=False)
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)  # sends two budget lines all the same
    assert not application.budget_lines.exists()  # not asked, so not kept
    assert rules.application_problems(application) == {}
    submitted = services.submit_application(actor=applicant, application=application)
    revision = submitted.revisions.get()
    assert revision.budget == [] and revision.budget_total_kzt == 0


def test_an_optional_budget_table_may_stay_empty_but_a_filled_one_is_checked():
    officer = factories.officer()
    call = factories.open_call(actor=officer, publish=False, budget=False)
    services.add_question(actor=officer, call=call, kind=Question.Kind.BUDGET, label_en="Costs", required=False)
    call = services.transition_call(actor=officer, call=call, to=Call.Status.PUBLISHED)
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    assert rules.application_problems(application) == {}
    answers = {str(q.pk): "In schools." for q in call.questions.all()}
    empty = services.save_draft(
        actor=applicant, application=application, title="T", summary="S", answers=answers, budget=[]
    )
    assert empty == {}
    too_much = services.save_draft(
        actor=applicant,
        application=application,
        title="T",
        summary="S",
        answers=answers,
        budget=[services.BudgetRow("Everything", Decimal(9_000_000))],
    )
    assert "this call funds between 500 000 and 3 000 000 KZT" in too_much["budget"][0]


def test_a_required_budget_table_needs_a_line():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    problems = services.save_draft(
        actor=applicant, application=application, title="T", summary="S", answers={}, budget=[]
    )
    assert problems["budget"] == ["Add at least one budget line."]


def test_long_answer_limit_counts_as_the_live_counter_does():
    """Browsers send line breaks as CRLF; the counter counts one character per break, and so does the server."""
    question = factories.open_call().questions.get(kind="long_text")  # a long text with a 500-character limit
    lines = ("a" * 49 + "\r\n") * 10  # 490 letters and 9 inner breaks once trimmed: 499 characters
    assert len(lines) > 500
    assert rules.check_answer(question, lines, has_file=False) is None
    assert rules.check_answer(question, "ä" * 501, has_file=False) == "At most 500 characters (now 501)."


def test_submission_is_refused_with_the_problems_and_then_accepted():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    with pytest.raises(ValidationError) as error:
        services.submit_application(actor=applicant, application=application)
    assert "title" in error.value.message_dict
    application = factories.complete_draft(call, organisation, applicant)
    submitted = services.submit_application(actor=applicant, application=application)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.revisions.get().budget_total_kzt == Decimal(1_000_000)
    receipt = OutboxEmail.objects.get(to=applicant.email)
    assert "received" in receipt.subject.lower()


def test_submission_after_the_deadline_is_refused_clearly():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    with pytest.raises(ValidationError) as error:
        services.submit_application(actor=applicant, application=application, now=call.closes_at + timedelta(seconds=1))
    assert error.value.code == "deadline"
    assert "no longer" in error.value.messages[0]


def test_ineligible_organisation_cannot_submit():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = factories.complete_draft(call, organisation, applicant)
    Organisation.objects.filter(pk=organisation.pk).update(verification_status=Organisation.Verification.UNVERIFIED)
    with pytest.raises(ValidationError) as error:
        services.submit_application(actor=applicant, application=application)
    assert error.value.code == "ineligible"


def test_submitted_application_is_read_only_until_changes_are_asked():
    officer = factories.officer()
    application = factories.submitted_application()
    applicant = application.submitted_by
    with pytest.raises(ValidationError):
        services.save_draft(actor=applicant, application=application, title="New", summary="", answers={}, budget=[])
    services.determine_application(
        actor=officer, application=application, decision=services.Determination.CHANGES, reason="Add the travel plan."
    )
    services.save_draft(
        actor=applicant,
        application=application,
        title="Peace lectures, with travel plan",
        summary="Twenty lectures.",
        answers={str(q.pk): "Schools" for q in application.call.questions.all()},
        budget=[services.BudgetRow("Fees", Decimal(1_200_000))],
    )
    resubmitted = services.submit_application(actor=applicant, application=application)
    assert resubmitted.revision == 2
    first, second = resubmitted.revisions.all()
    assert first.title == "Peace lectures for students"
    assert second.title == "Peace lectures, with travel plan"
    assert resubmitted.history.count() >= 4


def test_attachments_are_typed_by_content():
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not really a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not one of the accepted kinds"):
        services.add_attachment(actor=applicant, application=application, uploaded=disguised)
    attachment = services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf())
    assert attachment.content_type == "application/pdf"


def test_too_large_attachments_are_refused(monkeypatch):
    monkeypatch.setattr("kelisim.funding.files.DOCUMENTS", dataclasses.replace(files.DOCUMENTS, max_bytes=10))
    call = factories.open_call()
    organisation = factories.verified_organisation()
    applicant = factories.member(organisation)
    application = services.start_application(actor=applicant, call=call, organisation=organisation)
    with pytest.raises(ValidationError, match="larger"):
        services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf())


def test_file_question_requires_a_file():
    application, applicant, file_question = factories.draft_with_file_question(factories.officer())
    assert file_question.field_name in rules.application_problems(application)
    services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf(), question=file_question)
    assert rules.application_problems(application) == {}


def test_a_new_revision_keeps_the_files_the_earlier_one_was_sent_with():
    officer = factories.officer()
    application, applicant, plan = factories.draft_with_file_question(officer)
    first = services.add_attachment(
        actor=applicant, application=application, uploaded=factories.pdf("plan-v1.pdf"), question=plan
    )
    first_name = first.file.name
    services.submit_application(actor=applicant, application=application)
    services.determine_application(actor=officer, application=application, decision="changes", reason="Dates?")
    second = services.add_attachment(
        actor=applicant, application=application, uploaded=factories.pdf("plan-v2.pdf"), question=plan
    )
    services.submit_application(actor=applicant, application=application)
    one, two = application.revisions.order_by("number")
    assert [f.original_name for f in one.files.all()] == ["plan-v1.pdf"]
    assert [f.original_name for f in two.files.all()] == ["plan-v2.pdf"]
    assert one.files.get().file.read() == factories.PDF_BYTES  # replaced, yet still stored for revision 1
    assert list(application.attachments.all()) == [second]
    # A file no revision recorded goes from storage with its attachment.
    services.determine_application(actor=officer, application=application, decision="changes", reason="Again")
    draft_only = services.add_attachment(actor=applicant, application=application, uploaded=factories.pdf("x.pdf"))
    stored, draft_name = draft_only.file.storage, draft_only.file.name
    services.remove_attachment(actor=applicant, attachment=draft_only)
    assert not stored.exists(draft_name)
    assert stored.exists(first_name)


def test_the_migration_records_the_files_of_submitted_applications():
    import importlib

    from django.apps import apps

    application = factories.submitted_application()
    attached = Attachment.objects.create(
        application=application, file=factories.pdf(), original_name="plan.pdf", content_type="application/pdf", size=9
    )
    reopened = factories.submitted_application(call=application.call)
    services.determine_application(actor=factories.officer(), application=reopened, decision="changes", reason="x")
    Attachment.objects.create(  # may have changed since its revision: not recorded
        application=reopened, file=factories.pdf(), original_name="new.pdf", content_type="application/pdf", size=9
    )
    RevisionFile.objects.all().delete()  # as before the table existed
    migration = importlib.import_module("kelisim.funding.migrations.0003_submitted_revision_files")
    migration.record_files_of_locked_applications(apps, None)
    recorded = RevisionFile.objects.get()
    assert recorded.revision == application.revisions.get() and recorded.file.name == attached.file.name


def test_the_migration_gives_the_calls_applicants_saw_a_budget_table():
    import importlib

    from django.apps import apps

    officer = factories.officer()
    published = factories.open_call(actor=officer, reference="seen", budget=False)
    draft = factories.open_call(actor=officer, reference="draft", budget=False, publish=False)
    has_one = factories.open_call(actor=officer, reference="has-one")
    migration = importlib.import_module("kelisim.funding.migrations.0004_budget_table_question")
    migration.add_budget_tables(apps, None)
    added = published.questions.get(kind=Question.Kind.BUDGET)
    assert added.label_en == "Budget" and added.label_ru == "Бюджет" and added.required
    assert [q.kind for q in published.questions.all()] == ["long_text", "budget"]  # where the table used to be
    assert not draft.questions.filter(kind=Question.Kind.BUDGET).exists()  # its officer places it
    assert has_one.questions.filter(kind=Question.Kind.BUDGET).count() == 1


# --- Determination --------------------------------------------------------------------------------


def test_approval_and_rejection_wait_for_two_submitted_reviews():
    officer = factories.officer()
    application = factories.submitted_application()
    for decision in ("approve", "reject"):
        with pytest.raises(ValidationError) as error:
            services.determine_application(
                actor=officer, application=application, decision=decision, reason="Good", amount_kzt=Decimal(900_000)
            )
        assert "2 independent reviews" in error.value.message_dict["decision"][0]
        assert "0 of 2 reviews in" in error.value.message_dict["decision"][0]
        assert error.value.error_dict["decision"][0].code == "reviews_missing"
    first, waiting, declares, insider = (factories.reviewer() for _ in range(4))
    factories.reviewed_application(application, officer, [first])
    services.assign_reviewer(actor=officer, application=application, reviewer=waiting)
    declared = services.assign_reviewer(actor=officer, application=application, reviewer=declares)
    services.declare_conflict(actor=declares, assignment=declared, note="I advise this organisation.")
    Membership.objects.create(user=insider, organisation=application.organisation, status=Membership.Status.ACTIVE)
    services.assign_reviewer(actor=officer, application=application, reviewer=insider)
    # One review in, one still open, two conflicted (declared and automatic): still one short.
    with pytest.raises(ValidationError, match="1 of 2 reviews in"):
        services.determine_application(actor=officer, application=application, decision="reject", reason="Weak")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not OutboxEmail.objects.filter(topic="funding determination").exists()
    criteria = list(application.call.criteria.all())
    services.submit_review(
        actor=waiting,
        assignment=ReviewAssignment.objects.get(reviewer=waiting),
        scores={c.pk: (6, "") for c in criteria},
    )
    rejected = services.determine_application(actor=officer, application=application, decision="reject", reason="Weak")
    assert rejected.status == Application.Status.REJECTED


def test_a_late_review_cannot_change_a_decided_application():
    officer = factories.officer()
    application = factories.submitted_application()
    late = factories.reviewer()
    leftover = services.assign_reviewer(actor=officer, application=application, reviewer=late)
    assert services.reviewer_load()[late.pk] == 1
    factories.two_reviews(application, officer)
    services.determine_application(
        actor=officer, application=application, decision="approve", reason="Good", amount_kzt=Decimal(900_000)
    )
    criteria = list(application.call.criteria.all())
    with pytest.raises(ValidationError, match="already decided"):
        services.submit_review(actor=late, assignment=leftover, scores={c.pk: (1, "") for c in criteria})
    assert not leftover.scores.exists()
    assert late.pk not in services.reviewer_load()  # no longer counts as work waiting


def test_changes_can_be_asked_before_any_review():
    """Screening: an officer sends an incomplete submission back before reviewers spend time on it."""
    application = factories.submitted_application()
    changed = services.determine_application(
        actor=factories.officer(), application=application, decision="changes", reason="The work plan is missing."
    )
    assert changed.status == Application.Status.CHANGES_REQUESTED


def test_a_finished_application_says_so_rather_than_waiting_for_reviews():
    officer = factories.officer()
    application = factories.submitted_application()
    services.determine_application(actor=officer, application=application, decision="changes", reason="Add a plan.")
    with pytest.raises(ValidationError, match="not allowed"):
        services.determine_application(actor=officer, application=application, decision="approve", reason="x")


def test_approval_amount_within_limits_and_budget():
    officer = factories.officer()
    application = factories.two_reviews(factories.submitted_application(), officer)
    with pytest.raises(ValidationError):
        services.determine_application(
            actor=officer, application=application, decision="approve", reason="Good", amount_kzt=Decimal(5_000_000)
        )
    approved = services.determine_application(
        actor=officer, application=application, decision="approve", reason="Good", amount_kzt=Decimal(900_000)
    )
    assert approved.approved_amount_kzt == Decimal(900_000)
    mail = OutboxEmail.objects.filter(topic="funding determination").get()
    assert "Good" in mail.body_text


def test_determination_requires_reasons():
    officer = factories.officer()
    application = factories.two_reviews(factories.submitted_application(), officer)
    with pytest.raises(ValidationError) as error:
        services.determine_application(actor=officer, application=application, decision="reject", reason=" ")
    assert set(error.value.message_dict) == {"reason"}
