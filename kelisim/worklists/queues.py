"""Each queue of work a person may have, declared once: who sees it, what it counts, where its full list is.

A queue's ``queryset(user)`` is already filtered to what waits for that person and ordered oldest first; its
``columns`` are the values its ``row`` reads (a dict, not model instances), so that "My work" can take the count and
the first rows of all the person's queues in one query (selectors.work_for). ``url(user)`` is the
queue's own page, filtered to the same rows; queues that have no page of their own elsewhere are listed in full
by ``worklists:queue``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from kelisim.accounts.models import Role
from kelisim.activities.models import ActivityReport, ReportImport, ReportStatus
from kelisim.comments.models import Comment
from kelisim.consultations.models import InboundEmail, SimilarPair, Status, Suggestion
from kelisim.core.i18n import localized_fields
from kelisim.core.models import OutboxEmail
from kelisim.funding.models import Application, Call, Contract, Milestone, ReviewAssignment
from kelisim.organisations.models import ImportJob, Membership, Organisation
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
    language: str = ""  # the title's language when it is shown in another than the reader's (lang and a note)

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
    columns: dict[str, object] = field(kw_only=True)  # name -> field path or expression: what ``row`` reads


def _moment(value: str) -> datetime:
    """A time read back from a JSON column: PostgreSQL writes its offset, SQLite its UTC time without one."""
    moment = datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


ORGANISATION_FIELDS = (*localized_fields("name"), "bin")


def _organisation_columns(path: str) -> dict[str, str]:
    return {f"organisation_{field}": f"{path}__{field}" for field in ORGANISATION_FIELDS}


def _organisation(values: dict) -> str:
    """The organisation as it names itself (in the reader's language, else another), from its columns' values."""
    return str(Organisation(**{field: values[f"organisation_{field}"] for field in ORGANISATION_FIELDS}))


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


SUGGESTION_COLUMNS = {
    "reference": "reference",
    "title": "title",
    "text": "text",
    "since": "created_at",
    "target": "version__answer_within_days",
}


def _suggestion_row(suggestion: dict) -> Row:
    return Row(
        title=f"{suggestion['reference']} · {suggestion['title'] or _shortened(suggestion['text'])}",
        url=reverse("consultations:triage_detail", args=[suggestion["reference"]]),
        since=_moment(suggestion["since"]),
        target_days=suggestion["target"],
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


EMAIL_INTAKE_COLUMNS = {"subject": "subject", "message_key": "message_key", "since": "received_at", "reason": "reason"}


def _email_intake_row(email: dict) -> Row:
    return Row(
        title=email["subject"] or email["message_key"][:80],
        url=reverse("consultations:email_intake"),
        since=_moment(email["since"]),
        detail=email["reason"],
    )


def _reports_to_verify(user) -> QuerySet:
    return (
        ActivityReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )


REPORT_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "since": Coalesce("submitted_at", "created_at"),
    **_organisation_columns("organisation"),
}


def _report_row(report: dict) -> Row:
    return Row(
        title=report["title"],
        url=reverse("activities:report", args=[report["pk"]]),
        since=_moment(report["since"]),
        detail=_organisation(report),
    )


def _applications_to_decide(user) -> QuerySet:
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .select_related("call", "organisation")
        .order_by("submitted_at", "pk")
    )


APPLICATION_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "since": Coalesce("submitted_at", "created_at"),
    "call": "call__reference",
    **_organisation_columns("organisation"),
}


def _application_row(application: dict) -> Row:
    return Row(
        title=application["title"] or _organisation(application),
        url=reverse("funding:application_detail", args=[application["pk"]]),
        since=_moment(application["since"]),
        detail=f"{application['call']} · {_organisation(application)}",
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


MILESTONE_COLUMNS = {
    "contract": "contract__number",
    **{name: name for name in localized_fields("title")},
    "since": "due_date",
    **_organisation_columns("contract__application__organisation"),
}


def _fallback(text) -> str:
    """The language to mark a :class:`~kelisim.core.i18n.LocalizedText` with: only when it is not the reader's."""
    return text.language if text.fallback else ""


def _milestone_row(milestone: dict) -> Row:
    # The title in the reader's language (else another, marked), as on the contract's page.
    title = Milestone.title.resolve(Milestone(**{name: milestone[name] for name in localized_fields("title")}))
    return Row(
        title=f"{milestone['contract']} · {title.text}",
        language=_fallback(title),
        url=reverse("funding:contract_detail", args=[milestone["contract"]]),
        since=date.fromisoformat(milestone["since"]),
        detail=_organisation(milestone),
    )


def _milestone_reports_to_decide(user) -> QuerySet:
    return (
        Milestone.objects.filter(status=Milestone.Status.REPORTED)
        .select_related("contract__application__organisation")
        .order_by("due_date", "pk")
    )


JOIN_REQUEST_COLUMNS = {
    "user_name": "user__display_name",
    "user_email": "user__email",
    "organisation": "organisation_id",
    "since": "created_at",
    **_organisation_columns("organisation"),
}


def _join_request_row(membership: dict) -> Row:
    return Row(
        title=f"{membership['user_name'] or membership['user_email']} → {_organisation(membership)}",
        url=reverse("organisations:members", args=[membership["organisation"]]),
        since=_moment(membership["since"]),
    )


def _failed_imports(user) -> QuerySet:
    return ImportJob.objects.filter(
        status__in=(ImportJob.Status.FAILED, ImportJob.Status.REJECTED), created_at__gte=_since_days(RECENT_FAILURES)
    ).order_by("created_at", "pk")


IMPORT_COLUMNS = {"pk": "pk", "name": "original_name", "status": "status", "since": "created_at"}


def _import_row(job: dict) -> Row:
    status = ImportJob.Status(job["status"]).label
    return Row(
        title=job["name"] or f" ({status})",  # what an unnamed job's str() gives
        url=reverse("organisations:import_detail", args=[job["pk"]]),
        since=_moment(job["since"]),
        detail=status,
    )


# --- Moderators ------------------------------------------------------------------------------------


def _comments(status):
    def queryset(user) -> QuerySet:
        return Comment.objects.filter(status=status).order_by("created_at", "pk")

    return queryset


COMMENT_COLUMNS = {"pk": "pk", "text": "text", "since": "created_at"}


def _comment_row(comment: dict) -> Row:
    return Row(
        title=_shortened(comment["text"]),
        url=reverse("comments:moderate", args=[comment["pk"]]),
        since=_moment(comment["since"]),
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


REVIEW_COLUMNS = {
    "pk": "pk",
    "title": "application__title",
    "since": "assigned_at",
    "call": "application__call__reference",
    **_organisation_columns("application__organisation"),
}


def _review_row(assignment: dict) -> Row:
    return Row(
        title=assignment["title"] or _organisation(assignment),
        url=reverse("funding:review", args=[assignment["pk"]]),
        since=_moment(assignment["since"]),
        detail=assignment["call"],
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


CALL_FIELDS = (*localized_fields("title"), "reference")
DRAFT_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "status": "status",
    "since": "created_at",
    **{f"call_{field}": f"call__{field}" for field in CALL_FIELDS},
}


def _draft_row(application: dict) -> Row:
    call = Call(**{field: application[f"call_{field}"] for field in CALL_FIELDS})
    call_title = Call.title.resolve(call)
    return Row(
        title=application["title"] or call_title.text or call.reference,
        language="" if application["title"] else _fallback(call_title),
        url=reverse("funding:application_edit", args=[application["pk"]]),
        since=_moment(application["since"]),
        detail=f"{Application.Status(application['status']).label} · {call.reference}",
    )


def _reports_to_correct(user) -> QuerySet:
    return (
        ActivityReport.objects.filter(
            organisation_id__in=_memberships(user), status__in=(ReportStatus.RETURNED, ReportStatus.DRAFT)
        )
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


OWN_REPORT_COLUMNS = {
    "pk": "pk",
    "title": "title",
    "status": "status",
    "since": "created_at",
    **_organisation_columns("organisation"),
}


def _own_report_row(report: dict) -> Row:
    return Row(
        title=report["title"],
        url=reverse("activities:report", args=[report["pk"]]),
        since=_moment(report["since"]),
        detail=f"{ReportStatus(report['status']).label} · {_organisation(report)}",
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


def _report_import_row(job: dict) -> Row:
    status = ReportImport.Status(job["status"]).label
    return Row(
        title=job["name"] or f" ({status})",  # what an unnamed import's str() gives
        url=reverse("activities:import_detail", args=[job["pk"]]),
        since=_moment(job["since"]),
        detail=status,
    )


# --- Administrators ------------------------------------------------------------------------------------


def _failed_tasks(user) -> QuerySet:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="FAILED", enqueued_at__gte=_since_days(RECENT_FAILURES)).order_by(
        "enqueued_at", "pk"
    )


TASK_COLUMNS = {"pk": "pk", "path": "task_path", "since": "enqueued_at"}


def _task_row(task: dict) -> Row:
    return Row(
        title=task["path"],
        url=reverse("admin:django_tasks_database_dbtaskresult_change", args=[UUID(task["pk"])]),
        since=_moment(task["since"]),
    )


def _failed_emails(user) -> QuerySet:
    return OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).order_by("created_at", "pk")


OUTBOX_COLUMNS = {"pk": "pk", "subject": "subject", "since": "created_at", "topic": "topic"}


def _email_row(message: dict) -> Row:
    return Row(
        title=message["subject"],
        url=reverse("admin:core_outboxemail_change", args=[message["pk"]]),
        since=_moment(message["since"]),
        detail=message["topic"],
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
        columns=SUGGESTION_COLUMNS,
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
        columns=SUGGESTION_COLUMNS,
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
        columns=EMAIL_INTAKE_COLUMNS,
    ),
    Queue(
        "reports",
        Role.OFFICER,
        lambda n: ngettext("activity report to verify", "activity reports to verify", n),
        _reports_to_verify,
        _report_row,
        _url("activities:queue"),
        columns=REPORT_COLUMNS,
    ),
    Queue(
        "applications",
        Role.OFFICER,
        lambda n: ngettext("application to screen or decide", "applications to screen or decide", n),
        _applications_to_decide,
        _application_row,
        _url("funding:applications", "status=submitted"),
        columns=APPLICATION_COLUMNS,
    ),
    Queue(
        "milestone_reports",
        Role.OFFICER,
        lambda n: ngettext("milestone report to accept or return", "milestone reports to accept or return", n),
        _milestone_reports_to_decide,
        _milestone_row,
        columns=MILESTONE_COLUMNS,
    ),
    Queue(
        "overdue_milestones",
        Role.OFFICER,
        lambda n: ngettext("milestone overdue", "milestones overdue", n),
        _overdue_milestones,
        _milestone_row,
        columns=MILESTONE_COLUMNS,
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
        columns=JOIN_REQUEST_COLUMNS,
    ),
    Queue(
        "failed_imports",
        Role.OFFICER,
        lambda n: ngettext("organisation import that failed", "organisation imports that failed", n),
        _failed_imports,
        _import_row,
        columns=IMPORT_COLUMNS,
    ),
    Queue(
        "comments_held",
        Role.MODERATOR,
        lambda n: ngettext("comment held for moderation", "comments held for moderation", n),
        _comments(Comment.Status.PENDING),
        _comment_row,
        _url("comments:queue", "status=pending"),
        columns=COMMENT_COLUMNS,
    ),
    Queue(
        "comments_reported",
        Role.MODERATOR,
        lambda n: ngettext("comment hidden after reports", "comments hidden after reports", n),
        _comments(Comment.Status.HIDDEN),
        _comment_row,
        _url("comments:queue", "status=hidden"),
        columns=COMMENT_COLUMNS,
    ),
    Queue(
        "reviews",
        Role.REVIEWER,
        lambda n: ngettext("review to give", "reviews to give", n),
        _reviews_due,
        _review_row,
        _url("funding:reviews"),
        columns=REVIEW_COLUMNS,
    ),
    Queue(
        "member_requests",
        "ngo_admin",
        lambda n: ngettext("request to join your organisation", "requests to join your organisation", n),
        _member_requests,
        _join_request_row,
        columns=JOIN_REQUEST_COLUMNS,
    ),
    Queue(
        "applications_to_finish",
        "ngo",
        lambda n: ngettext("application to finish and submit", "applications to finish and submit", n),
        _applications_to_finish,
        _draft_row,
        _url("funding:applications", "status=open"),
        columns=DRAFT_COLUMNS,
    ),
    Queue(
        "reports_to_correct",
        "ngo",
        lambda n: ngettext("activity report to complete or correct", "activity reports to complete or correct", n),
        _reports_to_correct,
        _own_report_row,
        _url("activities:my_reports"),
        columns=OWN_REPORT_COLUMNS,
    ),
    Queue(
        "milestones_due",
        "ngo",
        lambda n: ngettext("milestone due or overdue", "milestones due or overdue", n),
        _milestones_due,
        _milestone_row,
        columns=MILESTONE_COLUMNS,
    ),
    Queue(
        "failed_report_imports",
        "ngo",
        lambda n: ngettext("activity import that failed", "activity imports that failed", n),
        _failed_report_imports,
        _report_import_row,
        columns=IMPORT_COLUMNS,
    ),
    Queue(
        "failed_tasks",
        Role.ADMINISTRATOR,
        lambda n: ngettext("background task that failed", "background tasks that failed", n),
        _failed_tasks,
        _task_row,
        _url("admin:django_tasks_database_dbtaskresult_changelist", "status__exact=FAILED"),
        columns=TASK_COLUMNS,
    ),
    Queue(
        "failed_emails",
        Role.ADMINISTRATOR,
        lambda n: ngettext("email that could not be sent", "emails that could not be sent", n),
        _failed_emails,
        _email_row,
        _url("admin:core_outboxemail_changelist", "status__exact=failed"),
        columns=OUTBOX_COLUMNS,
    ),
)
QUEUES_BY_KEY = {queue.key: queue for queue in QUEUES}
