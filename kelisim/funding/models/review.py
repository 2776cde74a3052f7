"""Independent review: reviewers assigned to an application and their scores per criterion."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.models import HistoricalRecords

from kelisim.core.fields import DESCRIPTION, LONG_TEXT, BoundedTextField
from kelisim.core.workflow import Workflow
from kelisim.funding.models.applications import DECIDED_STATUSES, Application
from kelisim.funding.models.calls import Criterion

# An application is approved or rejected only once this many reviews are in (conflicted ones do not count).
MIN_REVIEWERS = 2


class ReviewAssignment(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        SUBMITTED = "submitted", _("Review submitted")
        CONFLICTED = "conflicted", _("Conflict of interest")

    WORKFLOW = Workflow(
        {
            Status.ASSIGNED: {Status.SUBMITTED, Status.CONFLICTED},
            Status.SUBMITTED: set(),
            Status.CONFLICTED: set(),
        }
    )

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
    comment = BoundedTextField(_("overall comment"), blank=True, max_length=LONG_TEXT)
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


class Score(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = BoundedTextField(_("comment"), blank=True, max_length=DESCRIPTION)

    class Meta:
        ordering = ["assignment", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
