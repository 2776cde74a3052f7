"""Independent review: who reviews (the call's pool, least-loaded first, never a member of the applicant),
conflicts of interest, and the reviewers' scores."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.models import Role, User
from kelisim.accounts.permissions import require_officer
from kelisim.core.i18n import in_each_language
from kelisim.core.services import email_url
from kelisim.core.workflow import record_history, transition
from kelisim.funding import rules
from kelisim.funding.models import (
    DECIDED_STATUSES,
    MIN_REVIEWERS,
    Application,
    ReviewAssignment,
    Score,
    reviewer_snapshot,
)
from kelisim.funding.services.notifications import email_about_application
from kelisim.funding.services.saving import save_unique
from kelisim.notifications.services import notify
from kelisim.organisations.models import Membership


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
    record_history(assignment, actor=actor, reason="assigned" + (" (automatic conflict)" if is_member else ""))
    save_unique(assignment, _("This reviewer is already assigned to the application."))
    if not is_member:
        notify(
            recipients=[reviewer],
            kind="funding.review_assigned",
            params={
                "title": in_each_language(lambda: application.title or str(application.organisation)),
                "call": application.call.reference,
            },
            url=reverse("funding:review", args=[assignment.pk]),
            own_email=lambda person: email_about_application(
                application,
                to=person.email,
                language=person.preferred_language,
                template="funding/email/assigned",
                topic="funding review assigned",
                url=email_url("funding:review", assignment.pk),
            ),
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
    transition(assignment, to=ReviewAssignment.Status.CONFLICTED, actor=actor, reason="conflict declared")
    assignment.conflict_note = note.strip()[:500]
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
    transition(assignment, to=ReviewAssignment.Status.SUBMITTED, actor=actor, reason="review submitted")
    Score.objects.bulk_create(
        [
            Score(assignment=assignment, criterion=c, value=int(scores[c.pk][0]), comment=scores[c.pk][1][:5000])
            for c in criteria
        ]
    )
    assignment.comment = comment[:10000]
    assignment.submitted_at = timezone.now()
    assignment.revision_scored = assignment.application.revision
    assignment.save()
    return assignment
