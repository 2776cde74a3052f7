"""Each queue of work a person may have, declared once: who sees it, what it counts, where its full list is.

A queue's ``queryset(user)`` is already filtered to what waits for that person and ordered oldest first; "My
work" takes its count and its first rows (one query per queue, whatever the volume). ``url(user)`` is the
queue's own page, filtered to the same rows; queues that have no page of their own elsewhere are listed in full
by ``worklists:queue``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from kelisim.accounts.models import Role
from kelisim.activities.models import ActivityReport, ReportImport, ReportStatus
from kelisim.comments.models import Comment
from kelisim.consultations.models import InboundEmail, SimilarPair, Status, Suggestion
from kelisim.core.models import OutboxEmail
from kelisim.funding.models import Application, Contract, Milestone, ReviewAssignment
from kelisim.organisations.models import ImportJob, Membership
from kelisim.organisations.selectors import join_requests_without_admin

OPEN_SUGGESTION = (Status.RECEIVED, Status.UNDER_REVIEW)
DUPLICATE_SCORE = 0.5  # the score from which the triage queue groups possible duplicates
RECENT_FAILURES = timedelta(days=14)  # failed imports and tasks stay on "My work" this long
MILESTONE_WARNING = timedelta(days=14)  # an NGO sees a milestone this long before it is due


@dataclass(frozen=True)
class Row:
    title: str
    url: str
    since: datetime | date | None
    detail: str = ""
    target_days: int | None = None  # the answer time aimed at, when the queue has one

    @property
    def age_days(self) -> int:
        if self.since is None:
            return 0
        today = timezone.localdate()
        since = timezone.localtime(self.since).date() if isinstance(self.since, datetime) else self.since
        return max(0, (today - since).days)

    @property
    def overdue(self) -> bool:
        return self.target_days is not None and self.age_days > self.target_days


@dataclass(frozen=True)
class Queue:
    key: str
    role: str  # officer, moderator, reviewer, administrator, ngo_admin, ngo
    label: Callable[[int], str]  # count -> "3 suggestions to answer" (without the number)
    queryset: Callable[[object], QuerySet]
    row: Callable[[object], Row]
    url: Callable[[object], str] | None = None  # None: the full list is worklists:queue


def _memberships(user, *, admin: bool = False):
    memberships = Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
    if admin:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    return memberships.values("organisation_id")


def _since_days(value) -> datetime:
    return timezone.now() - value


# --- Officers ------------------------------------------------------------------------------------


def _suggestions_to_answer(user) -> QuerySet:
    return Suggestion.objects.filter(status__in=OPEN_SUGGESTION).select_related("version").order_by("created_at", "pk")


def _suggestion_row(suggestion) -> Row:
    return Row(
        title=f"{suggestion.reference} · {suggestion.display_title}",
        url=reverse("consultations:triage_detail", args=[suggestion.reference]),
        since=suggestion.created_at,
        target_days=suggestion.version.answer_within_days,
    )


def _suggestions_with_duplicates(user) -> QuerySet:
    pairs = SimilarPair.objects.filter(
        suggestion=OuterRef("pk"), score__gte=DUPLICATE_SCORE, other__status__in=OPEN_SUGGESTION
    )
    return _suggestions_to_answer(user).filter(Exists(pairs))


def _emails_needing_attention(user) -> QuerySet:
    return InboundEmail.objects.filter(outcome=InboundEmail.Outcome.ATTENTION, resolved_at__isnull=True).order_by(
        "received_at", "pk"
    )


def _email_intake_row(email) -> Row:
    return Row(
        title=email.subject or email.message_key[:80],
        url=reverse("consultations:email_intake"),
        since=email.received_at,
        detail=email.reason,
    )


def _reports_to_verify(user) -> QuerySet:
    return (
        ActivityReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


def _report_row(report) -> Row:
    return Row(
        title=report.title,
        url=reverse("activities:report", args=[report.pk]),
        since=report.submitted_at or report.created_at,
        detail=str(report.organisation),
    )


def _applications_to_decide(user) -> QuerySet:
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .select_related("call", "organisation")
        .order_by("submitted_at", "pk")
    )


def _application_row(application) -> Row:
    return Row(
        title=application.title or str(application.organisation),
        url=reverse("funding:application_detail", args=[application.pk]),
        since=application.submitted_at or application.created_at,
        detail=f"{application.call.reference} · {application.organisation}",
    )


def _overdue_milestones(user) -> QuerySet:
    return (
        Milestone.objects.filter(
            due_date__lt=timezone.localdate(),
            status__in=(Milestone.Status.PENDING, Milestone.Status.RETURNED),
            contract__status__in=(Contract.Status.SIGNED, Contract.Status.ACTIVE),
        )
        .select_related("contract__application__organisation")
        .order_by("due_date", "pk")
    )


def _milestone_row(milestone) -> Row:
    return Row(
        title=f"{milestone.contract.number} · {milestone.title}",
        url=reverse("funding:contract_detail", args=[milestone.contract.number]),
        since=milestone.due_date,
        detail=str(milestone.contract.application.organisation),
    )


def _milestone_reports_to_decide(user) -> QuerySet:
    return (
        Milestone.objects.filter(status=Milestone.Status.REPORTED)
        .select_related("contract__application__organisation")
        .order_by("due_date", "pk")
    )


def _join_request_row(membership) -> Row:
    return Row(
        title=f"{membership.user} → {membership.organisation}",
        url=reverse("organisations:members", args=[membership.organisation_id]),
        since=membership.created_at,
    )


def _failed_imports(user) -> QuerySet:
    return ImportJob.objects.filter(
        status__in=(ImportJob.Status.FAILED, ImportJob.Status.REJECTED), created_at__gte=_since_days(RECENT_FAILURES)
    ).order_by("created_at", "pk")


def _import_row(job) -> Row:
    return Row(
        title=job.original_name or str(job),
        url=reverse("organisations:import_detail", args=[job.pk]),
        since=job.created_at,
        detail=job.get_status_display(),
    )


# --- Moderators ------------------------------------------------------------------------------------


def _comments(status):
    def queryset(user) -> QuerySet:
        return Comment.objects.filter(status=status).order_by("created_at", "pk")

    return queryset


def _comment_row(comment) -> Row:
    text = " ".join(comment.text.split())
    return Row(
        title=text if len(text) <= 80 else text[:79].rstrip() + "…",
        url=reverse("comments:moderate", args=[comment.pk]),
        since=comment.created_at,
    )


# --- Reviewers ---------------------------------------------------------------------------------------


def _reviews_due(user) -> QuerySet:
    return (
        ReviewAssignment.objects.filter(
            reviewer=user,
            status=ReviewAssignment.Status.ASSIGNED,
            automatic_conflict=False,
            application__status=Application.Status.SUBMITTED,
        )
        .exclude(application__organisation__in=_memberships(user))
        .select_related("application__call", "application__organisation")
        .order_by("assigned_at", "pk")
    )


def _review_row(assignment) -> Row:
    application = assignment.application
    return Row(
        title=application.title or str(application.organisation),
        url=reverse("funding:review", args=[assignment.pk]),
        since=assignment.assigned_at,
        detail=application.call.reference,
    )


# --- NGO admins and members ----------------------------------------------------------------------------


def _member_requests(user) -> QuerySet:
    return (
        Membership.objects.filter(organisation_id__in=_memberships(user, admin=True), status=Membership.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at", "pk")
    )


def _applications_to_finish(user) -> QuerySet:
    return (
        Application.objects.filter(
            organisation_id__in=_memberships(user),
            status__in=(Application.Status.DRAFT, Application.Status.CHANGES_REQUESTED),
        )
        .select_related("call", "organisation")
        .order_by("call__closes_at", "created_at", "pk")
    )


def _draft_row(application) -> Row:
    return Row(
        title=application.title or str(application.call),
        url=reverse("funding:application_edit", args=[application.pk]),
        since=application.created_at,
        detail=f"{application.get_status_display()} · {application.call.reference}",
    )


def _reports_to_correct(user) -> QuerySet:
    return (
        ActivityReport.objects.filter(
            organisation_id__in=_memberships(user), status__in=(ReportStatus.RETURNED, ReportStatus.DRAFT)
        )
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def _own_report_row(report) -> Row:
    return Row(
        title=report.title,
        url=reverse("activities:report", args=[report.pk]),
        since=report.created_at,
        detail=f"{report.get_status_display()} · {report.organisation}",
    )


def _milestones_due(user) -> QuerySet:
    return (
        Milestone.objects.filter(
            contract__application__organisation__in=_memberships(user),
            due_date__lte=timezone.localdate() + MILESTONE_WARNING,
            status__in=(Milestone.Status.PENDING, Milestone.Status.RETURNED),
            contract__status__in=(Contract.Status.SIGNED, Contract.Status.ACTIVE),
        )
        .select_related("contract__application__organisation")
        .order_by("due_date", "pk")
    )


def _failed_report_imports(user) -> QuerySet:
    return ReportImport.objects.filter(
        organisation_id__in=_memberships(user),
        status__in=(ReportImport.Status.FAILED, ReportImport.Status.REJECTED),
        created_at__gte=_since_days(RECENT_FAILURES),
    ).order_by("created_at", "pk")


def _report_import_row(job) -> Row:
    return Row(
        title=job.original_name or str(job),
        url=reverse("activities:import_detail", args=[job.pk]),
        since=job.created_at,
        detail=job.get_status_display(),
    )


# --- Administrators ------------------------------------------------------------------------------------


def _failed_tasks(user) -> QuerySet:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="FAILED", enqueued_at__gte=_since_days(RECENT_FAILURES)).order_by(
        "enqueued_at", "pk"
    )


def _task_row(task) -> Row:
    return Row(
        title=task.task_path,
        url=reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk]),
        since=task.enqueued_at,
    )


def _failed_emails(user) -> QuerySet:
    return OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).order_by("created_at", "pk")


def _email_row(message) -> Row:
    return Row(
        title=message.subject,
        url=reverse("admin:core_outboxemail_change", args=[message.pk]),
        since=message.created_at,
        detail=message.topic,
    )


def _url(name: str, query: str = "", *args) -> Callable[[object], str]:
    return lambda user: reverse(name, args=args) + (f"?{query}" if query else "")


QUEUES: tuple[Queue, ...] = (
    Queue(
        "triage",
        Role.OFFICER,
        lambda n: ngettext("suggestion waiting for an answer", "suggestions waiting for an answer", n),
        _suggestions_to_answer,
        _suggestion_row,
        _url("consultations:triage", "status=open&sort=oldest"),
    ),
    Queue(
        "duplicates",
        Role.OFFICER,
        lambda n: ngettext(
            "suggestion with possible duplicates to confirm", "suggestions with possible duplicates to confirm", n
        ),
        _suggestions_with_duplicates,
        _suggestion_row,
        _url("consultations:triage", "status=open&sort=oldest&group=clusters"),
    ),
    Queue(
        "email_attention",
        Role.OFFICER,
        lambda n: ngettext(
            "email to an intake address that needs attention", "emails to intake addresses that need attention", n
        ),
        _emails_needing_attention,
        _email_intake_row,
        _url("consultations:email_intake"),
    ),
    Queue(
        "reports",
        Role.OFFICER,
        lambda n: ngettext("activity report to verify", "activity reports to verify", n),
        _reports_to_verify,
        _report_row,
        _url("activities:queue"),
    ),
    Queue(
        "applications",
        Role.OFFICER,
        lambda n: ngettext("application to screen or decide", "applications to screen or decide", n),
        _applications_to_decide,
        _application_row,
        _url("funding:applications", "status=submitted"),
    ),
    Queue(
        "milestone_reports",
        Role.OFFICER,
        lambda n: ngettext("milestone report to accept or return", "milestone reports to accept or return", n),
        _milestone_reports_to_decide,
        _milestone_row,
    ),
    Queue(
        "overdue_milestones",
        Role.OFFICER,
        lambda n: ngettext("milestone overdue", "milestones overdue", n),
        _overdue_milestones,
        _milestone_row,
    ),
    Queue(
        "orphan_join_requests",
        Role.OFFICER,
        lambda n: ngettext(
            "join request with no organisation admin to answer", "join requests with no organisation admin to answer", n
        ),
        lambda user: join_requests_without_admin(),
        _join_request_row,
        _url("organisations:join_requests"),
    ),
    Queue(
        "failed_imports",
        Role.OFFICER,
        lambda n: ngettext("organisation import that failed", "organisation imports that failed", n),
        _failed_imports,
        _import_row,
    ),
    Queue(
        "comments_held",
        Role.MODERATOR,
        lambda n: ngettext("comment held for moderation", "comments held for moderation", n),
        _comments(Comment.Status.PENDING),
        _comment_row,
        _url("comments:queue", "status=pending"),
    ),
    Queue(
        "comments_reported",
        Role.MODERATOR,
        lambda n: ngettext("comment hidden after reports", "comments hidden after reports", n),
        _comments(Comment.Status.HIDDEN),
        _comment_row,
        _url("comments:queue", "status=hidden"),
    ),
    Queue(
        "reviews",
        Role.REVIEWER,
        lambda n: ngettext("review to give", "reviews to give", n),
        _reviews_due,
        _review_row,
        _url("funding:reviews"),
    ),
    Queue(
        "member_requests",
        "ngo_admin",
        lambda n: ngettext("request to join your organisation", "requests to join your organisation", n),
        _member_requests,
        _join_request_row,
    ),
    Queue(
        "applications_to_finish",
        "ngo",
        lambda n: ngettext("application to finish and submit", "applications to finish and submit", n),
        _applications_to_finish,
        _draft_row,
        _url("funding:applications", "status=open"),
    ),
    Queue(
        "reports_to_correct",
        "ngo",
        lambda n: ngettext("activity report to complete or correct", "activity reports to complete or correct", n),
        _reports_to_correct,
        _own_report_row,
        _url("activities:my_reports"),
    ),
    Queue(
        "milestones_due",
        "ngo",
        lambda n: ngettext("milestone due or overdue", "milestones due or overdue", n),
        _milestones_due,
        _milestone_row,
    ),
    Queue(
        "failed_report_imports",
        "ngo",
        lambda n: ngettext("activity import that failed", "activity imports that failed", n),
        _failed_report_imports,
        _report_import_row,
    ),
    Queue(
        "failed_tasks",
        Role.ADMINISTRATOR,
        lambda n: ngettext("background task that failed", "background tasks that failed", n),
        _failed_tasks,
        _task_row,
        _url("admin:django_tasks_database_dbtaskresult_changelist", "status__exact=FAILED"),
    ),
    Queue(
        "failed_emails",
        Role.ADMINISTRATOR,
        lambda n: ngettext("email that could not be sent", "emails that could not be sent", n),
        _failed_emails,
        _email_row,
        _url("admin:core_outboxemail_changelist", "status__exact=failed"),
    ),
)
QUEUES_BY_KEY = {queue.key: queue for queue in QUEUES}
