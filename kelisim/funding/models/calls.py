"""Calls for proposals with their application questions and evaluation criteria."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core.fields import NOTE, BoundedTextField
from kelisim.core.i18n import Localized
from kelisim.core.models import Region, Strand
from kelisim.core.workflow import Workflow
from kelisim.plans.models import TrackedItem

PHASE_LABELS = {"open": _("Open"), "upcoming": _("Opens soon"), "closed": _("Closed"), "cancelled": _("Cancelled")}
PHASE_BADGES = {"open": "badge-ok", "closed": "badge-danger", "cancelled": "badge-danger"}


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    WORKFLOW = Workflow(
        {
            Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
            Status.PUBLISHED: {Status.CANCELLED},
            Status.CANCELLED: set(),
        }
    )

    reference = models.SlugField(_("reference"), max_length=40, unique=True, help_text=_("For example 2017-youth."))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_kk = BoundedTextField(_("description (Kazakh)"), blank=True, max_length=20_000)
    description_ru = BoundedTextField(_("description (Russian)"), blank=True, max_length=20_000)
    description_en = BoundedTextField(_("description (English)"), blank=True, max_length=20_000)
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
    def phase_label(self) -> str:
        """The phase as the public reads it (the badge on every call)."""
        return str(PHASE_LABELS.get(self.phase, _("Draft")))

    @property
    def phase_badge(self) -> str:
        """The badge style of the phase: open is good news, closed and cancelled are over, the rest wait."""
        return PHASE_BADGES.get(self.phase, "badge-warn")

    @property
    def phase(self) -> str:
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.status
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


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
    choices = BoundedTextField(
        _("choices"), blank=True, max_length=NOTE, help_text=_("For a choice: one option per line.")
    )

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
