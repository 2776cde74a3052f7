"""What funding keeps about a person: the export ("Download my data") and the eraser (account deletion),
registered in ``apps.py`` under the key "funding"."""

from django.db import transaction
from django.db.models import Prefetch, Q

from kelisim.core.workflow import record_history
from kelisim.funding.models import (
    Application,
    ApplicationRevision,
    MilestoneReport,
    ReviewAssignment,
    Score,
    reviewer_snapshot,
)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _applications(user) -> list[dict]:
    """The applications the person started or submitted (a revision of), with the revisions they sent."""
    revised = ApplicationRevision.objects.filter(submitted_by=user).values("application_id")
    written = (
        Application.objects.filter(Q(created_by=user) | Q(submitted_by=user) | Q(pk__in=revised))
        .select_related("call", "organisation")
        .prefetch_related(Prefetch("revisions", queryset=ApplicationRevision.objects.filter(submitted_by=user)))
        .order_by("created_at", "pk")
    )
    return [
        {
            "call": application.call.reference,
            "organisation": str(application.organisation),
            "title": application.title,
            "status": application.status,
            "started_by_you": application.created_by_id == user.pk,
            "revisions_you_submitted": [revision.number for revision in application.revisions.all()],
            "submitted_at": _iso(application.submitted_at),
        }
        for application in written
    ]


def _milestone_reports(user) -> list[dict]:
    reports = (
        MilestoneReport.objects.filter(submitted_by=user)
        .select_related("milestone__contract")
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "contract": report.milestone.contract.number,
            "milestone": report.milestone.title,
            "narrative": report.narrative,
            "decision": report.decision,
            "submitted_at": report.submitted_at.isoformat(),
        }
        for report in reports
    ]


def _scores(assignment: ReviewAssignment) -> list[dict]:
    return [
        {
            "criterion": score.criterion.name_en or str(score.criterion),
            "score": score.value,
            "comment": score.comment,
        }
        for score in assignment.scores.all()
    ]


def _reviews(user) -> list[dict]:
    reviews = (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("application__call")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("assigned_at", "pk")
    )
    return [
        {
            "call": assignment.application.call.reference,
            "application": assignment.application_id,
            "name_on_the_record": assignment.reviewer_name,
            "status": assignment.status,
            "conflict_note": assignment.conflict_note,
            "comment": assignment.comment,
            "scores": _scores(assignment),
            "submitted_at": _iso(assignment.submitted_at),
        }
        for assignment in reviews
    ]


def export_personal_data(user) -> dict:
    """The applications the person started or submitted, the milestone reports they sent, and the reviews
    they were assigned, with their scores and comments."""
    return {
        "applications": _applications(user),
        "milestone_reports": _milestone_reports(user),
        "reviews": _reviews(user),
    }


@transaction.atomic
def erase_personal_data(user) -> None:
    """Account deletion: what funding lets go of, and what it keeps.

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
        record_history(assignment, actor=None, reason="account erased")
        if assignment.status == ReviewAssignment.Status.ASSIGNED:
            assignment.delete()
        else:
            if not assignment.reviewer_name:
                assignment.reviewer_name = reviewer_snapshot(user)
            assignment.reviewer = None
            assignment.save()
