"""Contracts of approved applications: amendments, milestones and the organisation's milestone reports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core import files
from kelisim.core.fields import DESCRIPTION, LONG_TEXT, NOTE, BoundedTextField
from kelisim.core.i18n import Localized
from kelisim.core.workflow import Workflow
from kelisim.funding.models.applications import Application
from kelisim.plans.models import TrackedItem


class Contract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")
        TERMINATED = "terminated", _("Terminated")

    WORKFLOW = Workflow(
        {
            Status.DRAFT: {Status.SIGNED, Status.TERMINATED},
            Status.SIGNED: {Status.ACTIVE, Status.TERMINATED},
            Status.ACTIVE: {Status.COMPLETED, Status.SUSPENDED, Status.TERMINATED},
            Status.SUSPENDED: {Status.ACTIVE, Status.TERMINATED},
            Status.COMPLETED: set(),
            Status.TERMINATED: set(),
        }
    )

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    # The project's public title and summary, first in the language the organisation wrote its application in
    # (copied at signature: the application stays as it was reviewed), then translated by the officer (issue 16).
    title_kk = models.CharField(_("project title (Kazakh)"), max_length=300, blank=True, default="", db_default="")
    title_ru = models.CharField(_("project title (Russian)"), max_length=300, blank=True, default="", db_default="")
    title_en = models.CharField(_("project title (English)"), max_length=300, blank=True, default="", db_default="")
    summary_kk = BoundedTextField(_("summary (Kazakh)"), max_length=2000, blank=True, default="", db_default="")
    summary_ru = BoundedTextField(_("summary (Russian)"), max_length=2000, blank=True, default="", db_default="")
    summary_en = BoundedTextField(_("summary (English)"), max_length=2000, blank=True, default="", db_default="")
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

    title = Localized("title")
    summary = Localized("summary")

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


class ContractAmendment(models.Model):
    """Version N+1 of a contract: what changed, from what to what, and why."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    version = models.PositiveSmallIntegerField(_("version"))
    reason = BoundedTextField(_("reason"), max_length=NOTE)
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

    WORKFLOW = Workflow(
        {
            Status.PENDING: {Status.REPORTED},
            Status.REPORTED: {Status.ACCEPTED, Status.RETURNED},
            Status.RETURNED: {Status.REPORTED},
            Status.ACCEPTED: set(),
        }
    )

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=1)
    # The Russian title and deliverables keep the columns of earlier releases (rolling upgrades); the Kazakh and
    # English ones were added beside them (issue 16).
    title_kk = models.CharField(_("milestone (Kazakh)"), max_length=200, blank=True, default="", db_default="")
    title_ru = models.CharField(_("milestone (Russian)"), max_length=200, blank=True, db_column="title")
    title_en = models.CharField(_("milestone (English)"), max_length=200, blank=True, default="", db_default="")
    deliverables_kk = BoundedTextField(
        _("deliverables (Kazakh)"), max_length=DESCRIPTION, blank=True, default="", db_default=""
    )
    deliverables_ru = BoundedTextField(
        _("deliverables (Russian)"), max_length=DESCRIPTION, blank=True, db_column="deliverables"
    )
    deliverables_en = BoundedTextField(
        _("deliverables (English)"), max_length=DESCRIPTION, blank=True, default="", db_default=""
    )
    due_date = models.DateField(_("due on"))
    tranche_kzt = models.DecimalField(_("payment tranche, KZT"), max_digits=16, decimal_places=0, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_at = models.DateTimeField(null=True, blank=True)

    title = Localized("title")
    deliverables = Localized("deliverables")

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


class MilestoneReport(models.Model):
    class Decision(models.TextChoices):
        WAITING = "waiting", _("Waiting for the officer")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    narrative = BoundedTextField(_("what was done"), max_length=LONG_TEXT)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.WAITING)
    decision_note = BoundedTextField(_("officer's note"), blank=True, max_length=DESCRIPTION)
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


# No longer used for new files (core.files.DOCUMENTS names them); migration 0001 refers to it.
def evidence_path(instance, filename: str) -> str:
    return f"funding/reports/{instance.report_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(MilestoneReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), **files.DOCUMENTS.field_options())
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name
