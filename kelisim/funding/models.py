"""Funding (S5): calls for proposals, applications, independent review, awards and contracts.

Workflow states are explicit transition tables next to the models; services refuse any move that is
not in them. Official records (calls, applications, assignments, contracts, milestone reports) keep
their history with django-simple-history.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from kelisim.core.i18n import Localized
from kelisim.core.models import Region, Strand
from kelisim.organisations.models import Organisation
from kelisim.plans.models import TrackedItem

KZT = Decimal("1")


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    reference = models.SlugField(_("reference"), max_length=40, unique=True, help_text=_("For example 2017-youth."))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    strands = models.ManyToManyField(Strand, blank=True, related_name="calls", verbose_name=_("strands"))
    plan_items = models.ManyToManyField(
        TrackedItem, blank=True, related_name="calls", verbose_name=_("plan items funded")
    )
    budget_kzt = models.DecimalField(_("budget envelope, KZT"), max_digits=16, decimal_places=0)
    min_award_kzt = models.DecimalField(_("minimum award, KZT"), max_digits=16, decimal_places=0)
    max_award_kzt = models.DecimalField(_("maximum award, KZT"), max_digits=16, decimal_places=0)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    require_verified = models.BooleanField(_("only verified organisations"), default=True)
    eligible_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="+",
        verbose_name=_("eligible regions"),
        help_text=_("Leave empty for the whole country."),
    )
    min_years_registered = models.PositiveSmallIntegerField(_("minimum years since registration"), default=0)
    scale_max = models.PositiveSmallIntegerField(
        _("scoring scale: highest score"), default=10, validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    reviewer_pool = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="review_pools", verbose_name=_("reviewer pool")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[strands, plan_items, eligible_regions, reviewer_pool])

    title = Localized("title")
    description = Localized("description")

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=models.Q(min_award_kzt__lte=models.F("max_award_kzt")), name="call_min_award_at_most_max"
            ),
            models.CheckConstraint(
                condition=models.Q(max_award_kzt__lte=models.F("budget_kzt")), name="call_max_award_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.reference

    def get_absolute_url(self) -> str:
        return reverse("funding:call_detail", args=[self.reference])

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    @property
    def phase(self) -> str:
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.status
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


CALL_TRANSITIONS: dict[str, frozenset[str]] = {
    Call.Status.DRAFT: frozenset({Call.Status.PUBLISHED, Call.Status.CANCELLED}),
    Call.Status.PUBLISHED: frozenset({Call.Status.CANCELLED}),
    Call.Status.CANCELLED: frozenset(),
}


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")
        FILE = "file", _("File")
        BUDGET = "budget", _("Budget table")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    label_kk = models.CharField(_("question (Kazakh)"), max_length=300, blank=True)
    label_ru = models.CharField(_("question (Russian)"), max_length=300, blank=True)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveIntegerField(
        _("character limit"), null=True, blank=True, help_text=_("For long texts: the most characters allowed.")
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("For a choice: one option per line."))

    label = Localized("label")

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")
        constraints = [
            # The budget table's lines are the application's BudgetLines: one table per application.
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(kind="budget"), name="one_budget_question_per_call"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    name_kk = models.CharField(_("criterion (Kazakh)"), max_length=200, blank=True)
    name_ru = models.CharField(_("criterion (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    guidance = models.CharField(_("guidance for reviewers"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight, %"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    name = Localized("name")

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    title = models.CharField(_("project title"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    determination_reason = models.TextField(_("reasons"), blank=True)
    determined_at = models.DateTimeField(null=True, blank=True)
    approved_amount_kzt = models.DecimalField(
        _("approved amount, KZT"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="one_application_per_organisation_and_call")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.organisation} — {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def budget_total(self) -> Decimal:
        return sum((line.amount_kzt for line in self.budget_lines.all()), Decimal(0))


EDITABLE_STATUSES = frozenset({Application.Status.DRAFT, Application.Status.CHANGES_REQUESTED})
# Approved or rejected: the review is closed (no late review, open assignments leave the reviewers' load).
DECIDED_STATUSES = frozenset({Application.Status.APPROVED, Application.Status.REJECTED})
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Application.Status.DRAFT: frozenset({Application.Status.SUBMITTED}),
    Application.Status.SUBMITTED: frozenset(
        {Application.Status.CHANGES_REQUESTED, Application.Status.APPROVED, Application.Status.REJECTED}
    ),
    Application.Status.CHANGES_REQUESTED: frozenset({Application.Status.SUBMITTED}),
    Application.Status.APPROVED: frozenset(),
    Application.Status.REJECTED: frozenset(),
}


class BudgetLine(models.Model):
    """A line of the budget table, for a call that asks for one (a ``Question.Kind.BUDGET`` question)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=1)
    item = models.CharField(_("budget item"), max_length=200)
    amount_kzt = models.DecimalField(
        _("amount, KZT"), max_digits=16, decimal_places=0, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["application", "position", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.item}: {self.amount_kzt}"


class ApplicationRevision(models.Model):
    """What the applicant sent, frozen at each submission: a request for changes never overwrites it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    answers = models.JSONField(default=dict)
    budget = models.JSONField(default=list)
    budget_total_kzt = models.DecimalField(max_digits=16, decimal_places=0)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_revision_number")]
        verbose_name = _("submitted revision")
        verbose_name_plural = _("submitted revisions")

    def __str__(self) -> str:
        return f"{self.application_id} r{self.number}"


class RevisionFile(models.Model):
    """A file as it was attached when a revision was submitted. It points at the attachment's stored file
    (no copy); replacing or removing the attachment later leaves the stored file in place for this record."""

    revision = models.ForeignKey(ApplicationRevision, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file = models.FileField(_("file"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self) -> str:
        return self.original_name


def attachment_path(instance, filename: str) -> str:
    return f"funding/applications/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        SUBMITTED = "submitted", _("Review submitted")
        CONFLICTED = "conflicted", _("Conflict of interest")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    # A submitted review is part of the official record of a funding decision: deleting the reviewer's account
    # must not delete it. The account link goes (SET_NULL); the name taken at assignment stays for officers.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_assignments",
    )
    reviewer_name = models.CharField(
        _("reviewer"), max_length=254, blank=True, help_text=_("The reviewer's name when they were assigned.")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    automatic_conflict = models.BooleanField(
        _("flagged automatically"),
        default=False,
        help_text=_("The reviewer is a member of the applicant organisation."),
    )
    conflict_note = models.CharField(_("conflict of interest"), max_length=500, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The application may be revised after a request for changes: which text the scores are about.
    revision_scored = models.PositiveSmallIntegerField(_("revision reviewed"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment_per_reviewer")]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")

    def __str__(self) -> str:
        return f"{self.reviewer_label} → {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("funding:review", args=[self.pk])

    @property
    def reviewer_label(self) -> str:
        """Who reviewed, for officers: the name taken at assignment, also after the account was deleted."""
        if self.reviewer_name:
            return self.reviewer_name
        if self.reviewer_id is not None:
            return reviewer_snapshot(self.reviewer)
        return str(_("Former reviewer (account deleted)"))

    @property
    def is_closed(self) -> bool:
        """Still open when its application was approved or rejected: this review can no longer be given."""
        return self.status == self.Status.ASSIGNED and self.application.status in DECIDED_STATUSES

    @property
    def status_label(self) -> str:
        """The status as reviewers and officers read it: an open assignment of a decided application is closed."""
        return pgettext("review assignment", "Closed") if self.is_closed else self.get_status_display()

    @property
    def scored_an_earlier_revision(self) -> bool:
        """The scores are about a text the applicant has since changed (after a request for changes)."""
        return bool(self.revision_scored) and self.revision_scored < self.application.revision

    @property
    def counts_as_review(self) -> bool:
        """A submitted, unconflicted review: what the minimum number of reviews before a decision counts."""
        return self.status == self.Status.SUBMITTED and not self.automatic_conflict


def reviewer_snapshot(user) -> str:
    """The name kept on an assignment: the display name, or the address when the person set none."""
    return (user.display_name or user.email)[:254]


# An application is approved or rejected only once this many reviews are in (conflicted ones do not count).
MIN_REVIEWERS = 2

ASSIGNMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewAssignment.Status.ASSIGNED: frozenset(
        {ReviewAssignment.Status.SUBMITTED, ReviewAssignment.Status.CONFLICTED}
    ),
    ReviewAssignment.Status.SUBMITTED: frozenset(),
    ReviewAssignment.Status.CONFLICTED: frozenset(),
}


class Score(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assignment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Contract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    amount_kzt = models.DecimalField(_("amount, KZT"), max_digits=16, decimal_places=0)
    period_start = models.DateField(_("starts on"))
    period_end = models.DateField(_("ends on"))
    plan_items = models.ManyToManyField(TrackedItem, blank=True, related_name="contracts", verbose_name=_("plan items"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[plan_items])

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="contract_period_order"
            ),
            models.CheckConstraint(condition=models.Q(amount_kzt__gt=0), name="contract_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("funding:contract_detail", args=[self.number])

    @property
    def is_public(self) -> bool:
        """Drafts are internal; from signature on a contract is published."""
        return self.status != self.Status.DRAFT


PUBLIC_CONTRACT_STATUSES = frozenset(set(Contract.Status.values) - {Contract.Status.DRAFT})
CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    Contract.Status.DRAFT: frozenset({Contract.Status.SIGNED, Contract.Status.TERMINATED}),
    Contract.Status.SIGNED: frozenset({Contract.Status.ACTIVE, Contract.Status.TERMINATED}),
    Contract.Status.ACTIVE: frozenset(
        {Contract.Status.COMPLETED, Contract.Status.SUSPENDED, Contract.Status.TERMINATED}
    ),
    Contract.Status.SUSPENDED: frozenset({Contract.Status.ACTIVE, Contract.Status.TERMINATED}),
    Contract.Status.COMPLETED: frozenset(),
    Contract.Status.TERMINATED: frozenset(),
}


class ContractAmendment(models.Model):
    """Version N+1 of a contract: what changed, from what to what, and why."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    version = models.PositiveSmallIntegerField(_("version"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contract", "version"]
        constraints = [models.UniqueConstraint(fields=["contract", "version"], name="one_amendment_per_version")]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.contract_id} v{self.version}"


class Milestone(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        REPORTED = "reported", _("Report submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for more work")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(_("milestone"), max_length=200)
    deliverables = models.TextField(_("deliverables"))
    due_date = models.DateField(_("due on"))
    tranche_kzt = models.DecimalField(_("payment tranche, KZT"), max_digits=16, decimal_places=0, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "due_date", "position", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_MILESTONE_STATUSES and self.due_date < timezone.localdate()


OPEN_MILESTONE_STATUSES = frozenset({Milestone.Status.PENDING, Milestone.Status.RETURNED})
MILESTONE_TRANSITIONS: dict[str, frozenset[str]] = {
    Milestone.Status.PENDING: frozenset({Milestone.Status.REPORTED}),
    Milestone.Status.REPORTED: frozenset({Milestone.Status.ACCEPTED, Milestone.Status.RETURNED}),
    Milestone.Status.RETURNED: frozenset({Milestone.Status.REPORTED}),
    Milestone.Status.ACCEPTED: frozenset(),
}


class MilestoneReport(models.Model):
    class Decision(models.TextChoices):
        WAITING = "waiting", _("Waiting for the officer")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    narrative = models.TextField(_("what was done"), max_length=10000)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.WAITING)
    decision_note = models.TextField(_("officer's note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "-submitted_at", "-pk"]
        verbose_name = _("milestone report")
        verbose_name_plural = _("milestone reports")

    def __str__(self) -> str:
        return f"{self.milestone}: {self.get_decision_display()}"


def evidence_path(instance, filename: str) -> str:
    return f"funding/reports/{instance.report_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(MilestoneReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
