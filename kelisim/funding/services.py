"""Every write of the funding app: one function per use case, permission checked inside, one transaction,
history recorded with who and why."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.models import Role, User
from kelisim.accounts.permissions import require_officer
from kelisim.core.services import email_url, queue_templated_email
from kelisim.funding import rules
from kelisim.funding.files import check_upload
from kelisim.funding.models import (
    APPLICATION_TRANSITIONS,
    ASSIGNMENT_TRANSITIONS,
    CALL_TRANSITIONS,
    CONTRACT_TRANSITIONS,
    DECIDED_STATUSES,
    MILESTONE_TRANSITIONS,
    MIN_REVIEWERS,
    Application,
    ApplicationRevision,
    Attachment,
    BudgetLine,
    Call,
    Contract,
    ContractAmendment,
    Criterion,
    Milestone,
    MilestoneReport,
    Question,
    ReportEvidence,
    ReviewAssignment,
    RevisionFile,
    Score,
    reviewer_snapshot,
)
from kelisim.organisations.models import Membership


def _record(instance, actor, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason[:100]


def _move(instance, table: dict, to: str) -> None:
    if to not in table[instance.status]:
        labels = dict(instance._meta.get_field("status").choices)
        raise ValidationError(
            _("This change of status is not allowed: “%(from)s” → “%(to)s”.")
            % {"from": labels.get(instance.status, instance.status), "to": labels.get(to, to)},
            code="transition",
        )
    instance.status = to


def _organisation_emails(organisation) -> list[str]:
    admins = list(
        Membership.objects.filter(
            organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
        ).select_related("user")
    )
    recipients = [(membership.user.email, membership.user.preferred_language) for membership in admins]
    return recipients


def _notify_organisation(application: Application, template: str, topic: str, extra_people=()) -> None:
    recipients = dict(_organisation_emails(application.organisation))
    for person in extra_people:
        if person is not None:
            recipients[person.email] = person.preferred_language
    for email, language in sorted(recipients.items()):
        queue_templated_email(
            to=email,
            template=template,
            context={"application": application, "call": application.call, "organisation": application.organisation},
            language=language,
            topic=topic,
        )


# --- Calls ----------------------------------------------------------------------------------------

CALL_FIELDS = (
    "reference",
    "title_kk",
    "title_ru",
    "title_en",
    "description_kk",
    "description_ru",
    "description_en",
    "budget_kzt",
    "min_award_kzt",
    "max_award_kzt",
    "opens_at",
    "closes_at",
    "require_verified",
    "min_years_registered",
    "scale_max",
)
CALL_RELATIONS = ("strands", "plan_items", "eligible_regions", "reviewer_pool")


def _check_call(call: Call) -> None:
    errors = {}
    if not (call.title_kk or call.title_ru or call.title_en):
        errors["title_ru"] = _("Give the call a title in at least one language.")
    if call.closes_at and call.opens_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = _("The call must close after it opens.")
    if call.min_award_kzt is not None and call.max_award_kzt is not None and call.min_award_kzt > call.max_award_kzt:
        errors["min_award_kzt"] = _("The minimum award cannot be larger than the maximum.")
    if call.max_award_kzt is not None and call.budget_kzt is not None and call.max_award_kzt > call.budget_kzt:
        errors["max_award_kzt"] = _("The maximum award cannot be larger than the budget envelope.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_call(*, actor, call: Call | None = None, **values) -> Call:
    """Create or update a call; a published call keeps its reference and times unless cancelled."""
    require_officer(actor)
    relations = {name: values.pop(name) for name in CALL_RELATIONS if name in values}
    unknown = set(values) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown call fields: {sorted(unknown)}")
    if call is None:
        call = Call(created_by=actor)
    elif call.status == Call.Status.CANCELLED:
        raise ValidationError(_("A cancelled call cannot be changed."))
    for name, value in values.items():
        setattr(call, name, value)
    _check_call(call)
    _record(call, actor, "call saved")
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError as error:
        raise ValidationError({"reference": _("Another call already has this reference.")}) from error
    for name, value in relations.items():
        getattr(call, name).set(value)
    return call


@transaction.atomic
def add_question(
    *,
    actor,
    call: Call,
    kind: str,
    label_en: str = "",
    label_ru: str = "",
    label_kk: str = "",
    help_text: str = "",
    required: bool = True,
    max_length: int | None = None,
    choices: str = "",
) -> Question:
    require_officer(actor)
    if call.status != Call.Status.DRAFT:
        raise ValidationError(_("Questions can only change while the call is a draft."))
    if not (label_en or label_ru or label_kk):
        raise ValidationError({"label_ru": _("Write the question in at least one language.")})
    if kind == Question.Kind.CHOICE and len([c for c in choices.splitlines() if c.strip()]) < 2:
        raise ValidationError({"choices": _("A choice needs at least two options, one per line.")})
    call = Call.objects.select_for_update().get(pk=call.pk)  # two officers adding a budget table at once
    if kind == Question.Kind.BUDGET and call.questions.filter(kind=Question.Kind.BUDGET).exists():
        raise ValidationError({"kind": _("This call already has a budget table; an application has only one.")})
    position = (call.questions.aggregate(last=Max("position"))["last"] or 0) + 1
    return Question.objects.create(
        call=call,
        kind=kind,
        label_en=label_en,
        label_ru=label_ru,
        label_kk=label_kk,
        help_text=help_text,
        required=required,
        max_length=max_length if kind == Question.Kind.LONG_TEXT else None,
        choices=choices if kind == Question.Kind.CHOICE else "",
        position=position,
    )


@transaction.atomic
def remove_question(*, actor, question: Question) -> None:
    require_officer(actor)
    if question.call.status != Call.Status.DRAFT:
        raise ValidationError(_("Questions can only change while the call is a draft."))
    question.delete()
    _renumber_questions(question.call)


def _renumber_questions(call: Call, ordered: list[Question] | None = None) -> None:
    ordered = ordered if ordered is not None else list(call.questions.order_by("position", "pk"))
    for number, question in enumerate(ordered, start=1):
        if question.position != number:
            question.position = number
            question.save(update_fields=["position"])


@transaction.atomic
def move_question(*, actor, question: Question, direction: str) -> Question:
    """Move a question one place up or down in a draft call's form (the budget table too)."""
    require_officer(actor)
    call = Call.objects.select_for_update().get(pk=question.call_id)
    if call.status != Call.Status.DRAFT:
        raise ValidationError(_("Questions can only change while the call is a draft."))
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a question up or down."))
    ordered = list(call.questions.order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber_questions(call, ordered)
    return ordered[other] if 0 <= other < len(ordered) else ordered[index]


@transaction.atomic
def add_criterion(
    *, actor, call: Call, weight: int, name_en: str = "", name_ru: str = "", name_kk: str = "", guidance: str = ""
) -> Criterion:
    require_officer(actor)
    if call.status != Call.Status.DRAFT:
        raise ValidationError(_("Criteria can only change while the call is a draft."))
    if not (name_en or name_ru or name_kk):
        raise ValidationError({"name_ru": _("Name the criterion in at least one language.")})
    used = sum(call.criteria.values_list("weight", flat=True))
    if used + weight > 100:
        raise ValidationError({"weight": _("Weights add up to more than 100%% (%(used)d%% used).") % {"used": used}})
    return Criterion.objects.create(
        call=call,
        weight=weight,
        name_en=name_en,
        name_ru=name_ru,
        name_kk=name_kk,
        guidance=guidance,
        position=call.criteria.count() + 1,
    )


@transaction.atomic
def remove_criterion(*, actor, criterion: Criterion) -> None:
    require_officer(actor)
    if criterion.call.status != Call.Status.DRAFT:
        raise ValidationError(_("Criteria can only change while the call is a draft."))
    criterion.delete()


@transaction.atomic
def set_call_status(*, actor, call: Call, status: str, reason: str = "") -> Call:
    require_officer(actor)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if status == Call.Status.PUBLISHED:
        weights = sum(call.criteria.values_list("weight", flat=True))
        if weights != 100:
            raise ValidationError(
                _("The criteria's weights must add up to 100%% before publishing (now %(w)d%%).") % {"w": weights}
            )
    _move(call, CALL_TRANSITIONS, status)
    if status == Call.Status.PUBLISHED:
        call.published_at = timezone.now()
    _record(call, actor, reason or f"status: {status}")
    call.save()
    return call


# --- Applications ---------------------------------------------------------------------------------


@transaction.atomic
def start_application(*, actor, call: Call, organisation, now=None) -> Application:
    """Open the organisation's draft for the call (or return the one it already has)."""
    if organisation.pk not in rules.member_organisation_ids(actor):
        raise PermissionDenied(_("Only members of the organisation can apply on its behalf."))
    if not call.is_open(now):
        raise ValidationError(_("This call is not open for applications."))
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing is not None:
        return existing
    application = Application(call=call, organisation=organisation, created_by=actor)
    _record(application, actor, "draft started")
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
    _record(application, actor, "draft saved")
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
def submit_application(*, actor, application: Application, now=None) -> Application:
    """Submit if the deadline has not passed, the organisation is eligible and nothing is missing."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("call", "organisation").get(pk=application.pk)
    _require_editor(actor, application)
    call = application.call
    if now >= call.closes_at:
        raise ValidationError(
            _("The call closed on %(closed)s (Almaty time); applications can no longer be submitted.")
            % {"closed": timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")},
            code="deadline",
        )
    if call.status != Call.Status.PUBLISHED or now < call.opens_at:
        raise ValidationError(_("This call is not open for applications."), code="not_open")
    problems = rules.eligibility_problems(call, application.organisation)
    if problems:
        refusal = ValidationError(problems)
        refusal.code = "ineligible"  # a list error keeps no code of its own; callers branch on it
        raise refusal
    missing = rules.application_problems(application)
    if missing:
        refusal = ValidationError(missing)
        refusal.code = "incomplete"
        raise refusal
    lines = list(application.budget_lines.all())
    attachments = list(application.attachments.all())
    _move(application, APPLICATION_TRANSITIONS, Application.Status.SUBMITTED)
    if application.submitted_at is not None:
        application.revision += 1
    application.submitted_at = now
    application.submitted_by = actor
    _record(application, actor, f"submitted revision {application.revision}")
    application.save()
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
    # The files as sent, so that a later revision's replacements never rewrite what was reviewed.
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
    _notify_organisation(application, "funding/email/receipt", "funding receipt", extra_people=[actor])
    return application


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
    _move(application, APPLICATION_TRANSITIONS, target)
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
    _record(application, actor, f"determination: {decision}")
    application.save()
    _notify_organisation(application, "funding/email/determination", "funding determination")
    return application


# --- Review ---------------------------------------------------------------------------------------


def reviewer_load() -> dict[int, int]:
    """Open (not yet submitted) assignments per reviewer, on applications still waiting for a decision."""
    rows = (
        ReviewAssignment.objects.filter(status=ReviewAssignment.Status.ASSIGNED)
        .exclude(application__status__in=DECIDED_STATUSES)
        .values("reviewer")
        .annotate(open=Count("pk"))
    )
    return {row["reviewer"]: row["open"] for row in rows}


def suggest_reviewers(application: Application, count: int = MIN_REVIEWERS) -> list[User]:
    """The least-loaded reviewers of the call's pool who are not members of the applicant and not yet on it."""
    pool = list(rules.assignable_reviewers(application.call))
    members = set(
        Membership.objects.filter(organisation=application.organisation, status=Membership.Status.ACTIVE).values_list(
            "user_id", flat=True
        )
    )
    taken = set(application.assignments.values_list("reviewer_id", flat=True))
    load = reviewer_load()
    candidates = [user for user in pool if user.pk not in members and user.pk not in taken]
    candidates.sort(key=lambda user: (load.get(user.pk, 0), user.pk))
    return candidates[:count]


@transaction.atomic
def assign_reviewer(*, actor, application: Application, reviewer: User) -> ReviewAssignment:
    """Assign a reviewer of the call's pool (any active reviewer when the call has none) and email them the
    review page; a member of the applicant organisation is flagged as conflicted at once, and not emailed."""
    require_officer(actor)
    if not (reviewer.is_active and reviewer.has_role(Role.REVIEWER)):
        raise ValidationError(_("%(name)s is not a reviewer.") % {"name": reviewer})
    if not rules.assignable_reviewers(application.call).filter(pk=reviewer.pk).exists():
        raise ValidationError(
            _("%(name)s is not in this call's reviewer pool: choose a reviewer from the pool, or add them to it first.")
            % {"name": reviewer}
        )
    if application.status not in (Application.Status.SUBMITTED,):
        raise ValidationError(_("Only submitted applications are reviewed."))
    is_member = Membership.objects.filter(
        organisation=application.organisation, user=reviewer, status=Membership.Status.ACTIVE
    ).exists()
    assignment = ReviewAssignment(
        application=application, reviewer=reviewer, reviewer_name=reviewer_snapshot(reviewer), assigned_by=actor
    )
    if is_member:
        assignment.automatic_conflict = True
        assignment.status = ReviewAssignment.Status.CONFLICTED
        assignment.conflict_note = _("Member of the applicant organisation.")
    _record(assignment, actor, "assigned" + (" (automatic conflict)" if is_member else ""))
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise ValidationError(_("This reviewer is already assigned to the application.")) from error
    if not is_member:
        queue_templated_email(
            to=reviewer.email,
            template="funding/email/assigned",
            context={
                "application": application,
                "call": application.call,
                "organisation": application.organisation,
                "url": email_url("funding:review", assignment.pk),
            },
            language=reviewer.preferred_language,
            topic="funding review assigned",
        )
    return assignment


@transaction.atomic
def assign_balanced(*, actor, application: Application, count: int = MIN_REVIEWERS) -> list[ReviewAssignment]:
    """Bring the application up to ``count`` unconflicted reviewers, least-loaded first."""
    require_officer(actor)
    active = application.assignments.exclude(status=ReviewAssignment.Status.CONFLICTED).count()
    chosen = suggest_reviewers(application, max(0, count - active))
    return [assign_reviewer(actor=actor, application=application, reviewer=reviewer) for reviewer in chosen]


@transaction.atomic
def declare_conflict(*, actor, assignment: ReviewAssignment, note: str) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer can declare a conflict of interest."))
    if not note.strip():
        raise ValidationError({"note": _("Say briefly what the conflict is.")})
    _move(assignment, ASSIGNMENT_TRANSITIONS, ReviewAssignment.Status.CONFLICTED)
    assignment.conflict_note = note.strip()[:500]
    _record(assignment, actor, "conflict declared")
    assignment.save()
    return assignment


@transaction.atomic
def submit_review(
    *, actor, assignment: ReviewAssignment, scores: dict[int, tuple[int, str]], comment: str = ""
) -> ReviewAssignment:
    """Scores per criterion ({criterion id: (score, comment)}), all of them, within the call's scale."""
    assignment = ReviewAssignment.objects.select_for_update().select_related("application__call").get(pk=assignment.pk)
    if (
        assignment.reviewer_id != getattr(actor, "pk", None)
        or rules.visible_assignment(actor, assignment.application) is None
    ):
        raise PermissionDenied(_("You cannot review this application."))
    if assignment.application.status in DECIDED_STATUSES:
        # The decision rests on the reviews that were in; a late one would change its record afterwards.
        raise ValidationError(_("This application was already decided; its review is closed."), code="decided")
    call = assignment.application.call
    criteria = list(call.criteria.all())
    errors = {}
    for criterion in criteria:
        value = scores.get(criterion.pk, (None, ""))[0]
        if value is None or not 0 <= int(value) <= call.scale_max:
            errors[f"score_{criterion.pk}"] = _("Give a score from 0 to %(max)d.") % {"max": call.scale_max}
    if errors:
        raise ValidationError(errors)
    _move(assignment, ASSIGNMENT_TRANSITIONS, ReviewAssignment.Status.SUBMITTED)
    Score.objects.bulk_create(
        [
            Score(assignment=assignment, criterion=c, value=int(scores[c.pk][0]), comment=scores[c.pk][1][:5000])
            for c in criteria
        ]
    )
    assignment.comment = comment[:10000]
    assignment.submitted_at = timezone.now()
    assignment.revision_scored = assignment.application.revision
    _record(assignment, actor, "review submitted")
    assignment.save()
    return assignment


# --- Contracts ------------------------------------------------------------------------------------


def next_contract_number(call: Call) -> str:
    year = timezone.localtime(call.opens_at).year
    count = Contract.objects.filter(application__call=call).count() + 1
    while True:
        number = f"KLS-{year}-{call.pk:03d}-{count:03d}"
        if not Contract.objects.filter(number=number).exists():
            return number
        count += 1


@transaction.atomic
def create_contract(
    *, actor, application: Application, period_start: date, period_end: date, number: str = "", plan_items=None
) -> Contract:
    """The contract of an approved application, for the approved amount, linked to the call's plan items."""
    require_officer(actor)
    if application.status != Application.Status.APPROVED:
        raise ValidationError(_("Only an approved application becomes a contract."))
    if Contract.objects.filter(application=application).exists():
        raise ValidationError(_("This application already has a contract."))
    if period_end < period_start:
        raise ValidationError({"period_end": _("The contract must end after it starts.")})
    contract = Contract(
        application=application,
        number=number.strip() or next_contract_number(application.call),
        amount_kzt=application.approved_amount_kzt,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    _record(contract, actor, "contract drafted")
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as error:
        raise ValidationError({"number": _("Another contract already has this number.")}) from error
    contract.plan_items.set(plan_items if plan_items is not None else application.call.plan_items.all())
    return contract


@transaction.atomic
def add_milestone(
    *, actor, contract: Contract, title: str, deliverables: str, due_date: date, tranche_kzt: Decimal = Decimal(0)
) -> Milestone:
    require_officer(actor)
    if contract.status in (Contract.Status.COMPLETED, Contract.Status.TERMINATED):
        raise ValidationError(_("A closed contract takes no new milestones."))
    if not title.strip() or not deliverables.strip():
        raise ValidationError(_("A milestone needs a title and its deliverables."))
    tranches = sum(contract.milestones.values_list("tranche_kzt", flat=True))
    if tranches + tranche_kzt > contract.amount_kzt:
        raise ValidationError({"tranche_kzt": _("The tranches would add up to more than the contract amount.")})
    if not contract.period_start <= due_date <= contract.period_end:
        raise ValidationError({"due_date": _("The due date must fall within the contract period.")})
    milestone = Milestone(
        contract=contract,
        title=title.strip(),
        deliverables=deliverables.strip(),
        due_date=due_date,
        tranche_kzt=tranche_kzt,
        position=contract.milestones.count() + 1,
    )
    _record(milestone, actor, "milestone added")
    milestone.save()
    return milestone


@transaction.atomic
def transition_contract(
    *, actor, contract: Contract, status: str, reason: str = "", signed_on: date | None = None
) -> Contract:
    require_officer(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if status in (Contract.Status.SUSPENDED, Contract.Status.TERMINATED) and not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if status == Contract.Status.SIGNED and not contract.milestones.exists():
        raise ValidationError(_("Add at least one milestone before signing."))
    _move(contract, CONTRACT_TRANSITIONS, status)
    if status == Contract.Status.SIGNED:
        contract.signed_on = signed_on or timezone.localdate()
    contract.updated_at = timezone.now()
    _record(contract, actor, reason.strip() or f"status: {status}")
    contract.save()
    return contract


AMENDABLE_FIELDS = ("amount_kzt", "period_end")


@transaction.atomic
def amend_contract(*, actor, contract: Contract, reason: str, **changes) -> ContractAmendment:
    """A new version of the contract with the reason; the amendment keeps the before and after values."""
    require_officer(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status in (Contract.Status.DRAFT, Contract.Status.COMPLETED, Contract.Status.TERMINATED):
        raise ValidationError(_("Only a signed, active or suspended contract is amended (edit a draft directly)."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the contract is amended.")})
    recorded = {}
    for field, value in changes.items():
        if field not in AMENDABLE_FIELDS:
            raise TypeError(f"{field} cannot be amended")
        if value is not None and value != getattr(contract, field):
            recorded[field] = {"from": str(getattr(contract, field)), "to": str(value)}
            setattr(contract, field, value)
    if not recorded:
        raise ValidationError(_("Nothing changes in this amendment."))
    if contract.period_end < contract.period_start:
        raise ValidationError({"period_end": _("The contract must end after it starts.")})
    if contract.amount_kzt <= 0:
        raise ValidationError({"amount_kzt": _("The amount must be positive.")})
    contract.version += 1
    contract.updated_at = timezone.now()
    _record(contract, actor, f"amendment v{contract.version}: {reason.strip()}")
    contract.save()
    return ContractAmendment.objects.create(
        contract=contract, version=contract.version, reason=reason.strip(), changes=recorded, created_by=actor
    )


@transaction.atomic
def submit_milestone_report(*, actor, milestone: Milestone, narrative: str, files=()) -> MilestoneReport:
    milestone = Milestone.objects.select_for_update().select_related("contract__application").get(pk=milestone.pk)
    contract = milestone.contract
    if not rules.is_applicant(actor, contract.application):
        raise PermissionDenied(_("Only members of the contracted organisation report on its milestones."))
    if contract.status not in (Contract.Status.SIGNED, Contract.Status.ACTIVE):
        raise ValidationError(_("Reports are taken while the contract is signed or active."))
    if not narrative.strip():
        raise ValidationError({"narrative": _("Describe what was done.")})
    checked = [(uploaded, check_upload(uploaded)) for uploaded in files]
    _move(milestone, MILESTONE_TRANSITIONS, Milestone.Status.REPORTED)
    _record(milestone, actor, "report submitted")
    milestone.save()
    report = MilestoneReport(milestone=milestone, narrative=narrative.strip(), submitted_by=actor)
    _record(report, actor, "submitted")
    report.save()
    for uploaded, content_type in checked:
        ReportEvidence.objects.create(
            report=report,
            file=uploaded,
            original_name=uploaded.name[-255:],
            content_type=content_type,
            size=uploaded.size,
        )
    return report


@transaction.atomic
def decide_milestone_report(*, actor, report: MilestoneReport, accept: bool, note: str = "") -> MilestoneReport:
    require_officer(actor)
    report = MilestoneReport.objects.select_for_update().select_related("milestone").get(pk=report.pk)
    if report.decision != MilestoneReport.Decision.WAITING:
        raise ValidationError(_("This report was already decided."))
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what is missing, so the organisation can complete it.")})
    milestone = report.milestone
    target = Milestone.Status.ACCEPTED if accept else Milestone.Status.RETURNED
    _move(milestone, MILESTONE_TRANSITIONS, target)
    if accept:
        milestone.accepted_at = timezone.now()
    _record(milestone, actor, "report accepted" if accept else "report returned")
    milestone.save()
    report.decision = MilestoneReport.Decision.ACCEPTED if accept else MilestoneReport.Decision.RETURNED
    report.decision_note = note.strip()
    report.decided_by = actor
    report.decided_at = timezone.now()
    _record(report, actor, report.decision)
    report.save()
    return report


# --- Personal data --------------------------------------------------------------------------------


@transaction.atomic
def erase_account_funding(user) -> None:
    """Account deletion (``core.registry`` eraser): what funding lets go of, and what it keeps.

    - Open assignments (assigned, not yet reviewed) are removed: they are work the person will no longer
      do, and the officer sees the application short of reviewers again.
    - Submitted reviews with their scores and comments, and declared or detected conflicts of interest,
      stay. They are the official record of a funding decision: an approval or rejection must remain
      explainable to the applicant, to auditors and to the public register, and deleting the reviews
      behind it would rewrite that decision. They lose the link to the account (the foreign key is set to
      null) and keep the reviewer's name taken at assignment, which only officers see.
    - Applications, revisions, attachments, contracts and reports belong to the organisation or the
      programme office, not to the person who typed them: they stay, and their "by" columns lose the link
      to the account through SET_NULL.
    """
    for assignment in ReviewAssignment.objects.select_for_update().filter(reviewer=user):
        _record(assignment, None, "account erased")
        if assignment.status == ReviewAssignment.Status.ASSIGNED:
            assignment.delete()
        else:
            if not assignment.reviewer_name:
                assignment.reviewer_name = reviewer_snapshot(user)
            assignment.reviewer = None
            assignment.save()
