"""Applications to a call: the draft, its budget table and attachments, and each submitted revision."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core import files
from kelisim.core.fields import BoundedTextField
from kelisim.core.workflow import Workflow
from kelisim.funding.models.calls import Call, Question
from kelisim.organisations.models import Organisation


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    WORKFLOW = Workflow(
        {
            Status.DRAFT: {Status.SUBMITTED},
            Status.SUBMITTED: {Status.CHANGES_REQUESTED, Status.APPROVED, Status.REJECTED},
            Status.CHANGES_REQUESTED: {Status.SUBMITTED},
            Status.APPROVED: set(),
            Status.REJECTED: set(),
        }
    )

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications", verbose_name=_("organisation")
    )
    title = models.CharField(_("project title"), max_length=300, blank=True)
    summary = BoundedTextField(_("summary"), blank=True, max_length=2000)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    determination_reason = BoundedTextField(_("reasons"), blank=True, max_length=5000)
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
    summary = BoundedTextField(blank=True, max_length=2000)
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
    file = models.FileField(_("file"), **files.DOCUMENTS.field_options())
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))

    class Meta:
        ordering = ["revision", "pk"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self) -> str:
        return self.original_name


# No longer used for new files (core.files.DOCUMENTS names them); migration 0001 refers to it.
def attachment_path(instance, filename: str) -> str:
    return f"funding/applications/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file = models.FileField(_("file"), **files.DOCUMENTS.field_options())
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
