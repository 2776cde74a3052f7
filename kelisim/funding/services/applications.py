"""Applications: the organisation's draft, its attachments, submission (with a frozen revision) and the
officer's determination."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.core.errors import invalid
from kelisim.core.workflow import record_history, transition
from kelisim.funding import rules
from kelisim.funding.files import check_upload
from kelisim.funding.models import (
    Application,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    Call,
    Question,
    RevisionFile,
)
from kelisim.funding.services.notifications import notify_organisation


@transaction.atomic
def start_application(*, actor, call: Call, organisation, now=None) -> Application:
    """Open the organisation's draft for the call (or return the one it already has)."""
    if organisation.pk not in rules.member_organisation_ids(actor):
        raise PermissionDenied(_("Only members of the organisation can apply on its behalf."))
    if not call.is_open(now):
        raise _refusal(_("This call is not open for applications."), "not_open")
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing is not None:
        return existing
    application = Application(call=call, organisation=organisation, created_by=actor)
    record_history(application, actor=actor, reason="draft started")
    application.save()
    return application


def _require_editor(actor, application: Application) -> None:
    if not rules.is_applicant(actor, application):
        raise PermissionDenied(_("Only members of the applicant organisation can change this application."))
    if not application.is_editable:
        raise ValidationError(_("This application was submitted and is read-only unless an officer asks for changes."))


@dataclass
class BudgetRow:
    item: str
    amount_kzt: Decimal


@transaction.atomic
def save_draft(
    *, actor, application: Application, title: str, summary: str, answers: dict, budget: list[BudgetRow]
) -> dict:
    """Keep everything the applicant typed, valid or not, and return what is still missing or wrong.

    Saving never refuses an incomplete draft: work is never lost to a validation error. The budget lines are
    the answer to the call's budget table; a call without one keeps none (lines sent to it are dropped).
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_editor(actor, application)
    application.title = title[:300]
    application.summary = summary[:2000]
    questions = {str(question.pk): question for question in application.call.questions.all()}
    application.answers = {
        key: str(value)[:20000]
        for key, value in answers.items()
        if key in questions and questions[key].kind != Question.Kind.BUDGET and value not in (None, "")
    }
    record_history(application, actor=actor, reason="draft saved")
    application.save()
    application.budget_lines.all().delete()
    if rules.budget_question(questions.values()) is not None:
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(application=application, position=position, item=row.item[:200], amount_kzt=row.amount_kzt)
                for position, row in enumerate((row for row in budget if row.item.strip()), start=1)
            ]
        )
    return rules.application_problems(application)


def _drop_attachment(attachment: Attachment) -> None:
    """Delete an attachment; its stored file stays while a submitted revision still records it."""
    if not RevisionFile.objects.filter(file=attachment.file.name).exists():
        attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def add_attachment(*, actor, application: Application, uploaded, question: Question | None = None) -> Attachment:
    _require_editor(actor, application)
    content_type = check_upload(uploaded)
    if question is not None and question.call_id != application.call_id:
        raise ValidationError(_("That question belongs to another call."))
    if question is not None:
        for replaced in application.attachments.filter(question=question):
            _drop_attachment(replaced)
    return Attachment.objects.create(
        application=application,
        question=question,
        file=uploaded,
        original_name=uploaded.name[-255:],
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=actor,
    )


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    _require_editor(actor, attachment.application)
    _drop_attachment(attachment)


@transaction.atomic
@transaction.atomic
def submit_application(*, actor, application: Application, now=None) -> Application:
    """Submit if the deadline has not passed, the organisation is eligible and nothing is missing."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("call", "organisation").get(pk=application.pk)
    _require_editor(actor, application)
    _check_submittable(application, now)
    lines = list(application.budget_lines.all())
    attachments = list(application.attachments.all())
    transition(application, to=Application.Status.SUBMITTED, actor=actor)
    if application.submitted_at is not None:
        application.revision += 1
    application.submitted_at = now
    application.submitted_by = actor
    record_history(application, actor=actor, reason=f"submitted revision {application.revision}")
    application.save()
    _freeze_revision(application, lines, attachments, actor=actor, now=now)
    notify_organisation(application, "funding/email/receipt", "funding receipt", extra_people=[actor])
    return application


def _refusal(errors, code: str) -> ValidationError:
    """A refusal the web form shows as messages, the view branches on (``code``) and the API reports under it."""
    refusal = invalid(errors, code=code)
    refusal.code = code  # a list or dict error keeps no code of its own
    return refusal


def _check_submittable(application: Application, now) -> None:
    call = application.call
    if now >= call.closes_at:
        raise _refusal(
            _("The call closed on %(closed)s (Almaty time); applications can no longer be submitted.")
            % {"closed": timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")},
            "deadline",
        )
    if call.status != Call.Status.PUBLISHED or now < call.opens_at:
        raise _refusal(_("This call is not open for applications."), "not_open")
    problems = rules.eligibility_problems(call, application.organisation)
    if problems:
        raise _refusal(problems, "ineligible")
    missing = rules.application_problems(application)
    if missing:
        raise _refusal(missing, "incomplete")


def _freeze_revision(application: Application, lines, attachments, *, actor, now) -> ApplicationRevision:
    """What was sent, as it was sent: a later request for changes never rewrites what was reviewed."""
    revision = ApplicationRevision.objects.create(
        application=application,
        number=application.revision,
        title=application.title,
        summary=application.summary,
        answers=application.answers,
        budget=[{"item": line.item, "amount_kzt": str(line.amount_kzt)} for line in lines],
        budget_total_kzt=sum((line.amount_kzt for line in lines), Decimal(0)),
        submitted_at=now,
        submitted_by=actor,
    )
    # The files point at the stored attachments: a later revision's replacements leave these in place.
    RevisionFile.objects.bulk_create(
        RevisionFile(
            revision=revision,
            question_id=attachment.question_id,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
        )
        for attachment in attachments
    )
    return revision


class Determination:
    APPROVE = "approve"
    REJECT = "reject"
    CHANGES = "changes"


@transaction.atomic
def determine_application(
    *, actor, application: Application, decision: str, reason: str, amount_kzt: Decimal | None = None
) -> Application:
    """Approve with an amount, reject, or ask for changes; the reasons go to the applicant.

    Approving and rejecting wait for ``MIN_REVIEWERS`` submitted, unconflicted reviews: a funding decision
    rests on independent review. Asking for changes does not: an officer who screens a submission and finds
    a missing document or a budget line over the limits sends it back at once, before reviewers spend time
    on it (the reviews already in stay on the record).
    """
    require_officer(actor)
    application = Application.objects.select_for_update().select_related("call", "organisation").get(pk=application.pk)
    target = {
        Determination.APPROVE: Application.Status.APPROVED,
        Determination.REJECT: Application.Status.REJECTED,
        Determination.CHANGES: Application.Status.CHANGES_REQUESTED,
    }.get(decision)
    if target is None:
        raise ValidationError({"decision": _("Choose a decision.")})
    transition(application, to=target, actor=actor, reason=f"determination: {decision}")
    if decision in (Determination.APPROVE, Determination.REJECT):
        reviews = rules.submitted_review_count(application)
        if rules.reviews_missing(reviews):
            waiting = ValidationError(rules.decision_waits_for_reviews(reviews), code="reviews_missing")
            raise ValidationError({"decision": waiting})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the applicant your reasons.")})
    if decision == Determination.APPROVE:
        call = application.call
        if amount_kzt is None or amount_kzt < call.min_award_kzt or amount_kzt > call.max_award_kzt:
            raise ValidationError({"amount_kzt": _("The amount must be between the call's minimum and maximum award.")})
        awarded = (
            Application.objects.filter(call=call, status=Application.Status.APPROVED)
            .exclude(pk=application.pk)
            .values_list("approved_amount_kzt", flat=True)
        )
        if sum((value or 0 for value in awarded), Decimal(0)) + amount_kzt > call.budget_kzt:
            raise ValidationError({"amount_kzt": _("This award would exceed the call's budget envelope.")})
        application.approved_amount_kzt = amount_kzt
    application.determination_reason = reason.strip()
    application.determined_at = timezone.now()
    application.save()
    notify_organisation(application, "funding/email/determination", "funding determination")
    return application
