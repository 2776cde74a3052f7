"""The programme's action plan (S3, S4) in versions: draft 1, draft 2, …, adopted, revision 1, …

- A ``PlanVersion`` is edited while it is a working copy and frozen once published; a change after that
  is a new version whose items are copied from the last published one.
- A ``TrackedItem`` is an item's identity across versions: its public ID ("AP-0007") never changes,
  whatever its number ("2.1.3") becomes. Implementation progress and provenance (which suggestions and
  roundtable decisions shaped it) hang on the tracked item, so they survive every new version.
- A ``PlanItem`` is the item's text and facts in one version.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.consultations.models import Programme, Suggestion
from kelisim.core.fields import DESCRIPTION, BoundedTextField
from kelisim.core.i18n import Localized
from kelisim.core.links import validate_web_url
from kelisim.core.models import Region, Strand
from kelisim.core.workflow import Workflow
from kelisim.meetings.models import Decision
from kelisim.organisations.models import Organisation


class ActionPlan(models.Model):
    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, related_name="action_plan", verbose_name=_("programme")
    )
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    # The last public item ID given out ("AP-0001", …), bumped by a conditional update.
    last_item_number = models.PositiveIntegerField(default=0)

    title = Localized("title")

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.title or self.slug


class PlanVersion(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        REVISION = "revision", _("Revision")

    class State(models.TextChoices):
        WORKING = "working", _("Being edited")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))  # 1, 2, 3 … across kinds: the address
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    kind_number = models.PositiveSmallIntegerField(default=1)  # draft 2, revision 3
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.WORKING)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class SystemNote(models.TextChoices):
        """Notes the system writes, kept as a fact and worded in the reader's language when shown."""

        FROM_DECISIONS = "from_decisions", _("Changes from roundtable decisions")

    note = models.CharField(_("what changed"), max_length=500, blank=True)
    system_note = models.CharField(max_length=20, choices=SystemNote.choices, blank=True, default="", db_default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords()

    # Published is final: the version never changes again.
    WORKFLOW = Workflow({State.WORKING: {State.PUBLISHED}, State.PUBLISHED: set()}, field="state")

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number"),
            models.UniqueConstraint(fields=["plan", "kind", "kind_number"], name="unique_plan_version_label"),
            # One working copy at a time: two officers editing two copies would lose each other's work.
            models.UniqueConstraint(fields=["plan"], condition=models.Q(state="working"), name="one_working_version"),
            models.CheckConstraint(
                condition=~models.Q(kind="adopted") | models.Q(kind_number=1), name="adopted_only_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("plans:version", args=[self.number])

    @property
    def label(self) -> str:
        if self.kind == self.Kind.ADOPTED:
            return str(_("adopted"))
        if self.kind == self.Kind.REVISION:
            return str(_("revision %(number)d") % {"number": self.kind_number})
        return str(_("draft %(number)d") % {"number": self.kind_number})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def note_text(self) -> str:
        """What changed: the officer's note, or the system's in the active language."""
        if self.system_note:
            return str(self.SystemNote(self.system_note).label)
        return self.note


# What may follow the latest version of a plan: drafts until adoption, then only revisions.
# An ADOPTED or REVISION version takes effect only when an administrator publishes it.
NEXT_KINDS: dict[str | None, frozenset[str]] = {
    None: frozenset({PlanVersion.Kind.DRAFT}),
    PlanVersion.Kind.DRAFT: frozenset({PlanVersion.Kind.DRAFT, PlanVersion.Kind.ADOPTED}),
    PlanVersion.Kind.ADOPTED: frozenset({PlanVersion.Kind.REVISION}),
    PlanVersion.Kind.REVISION: frozenset({PlanVersion.Kind.REVISION}),
}
ADMINISTRATOR_KINDS = frozenset({PlanVersion.Kind.ADOPTED, PlanVersion.Kind.REVISION})


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


_UNFINISHED_TARGETS = {ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED, ItemStatus.DELAYED, ItemStatus.CANCELLED}


class ProgressSource(models.TextChoices):
    """Where an item's progress comes from: an officer's updates, or its indicators (``plans.progress``)."""

    MANUAL = "manual", _("Entered by hand")
    INDICATORS = "indicators", _("Follows its indicators")


class TrackedItem(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="tracked_items")
    code = models.CharField(_("item ID"), max_length=20, unique=True)
    first_published_in = models.ForeignKey(
        PlanVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0, validators=[MaxValueValidator(100)])
    progress_updated_at = models.DateTimeField(null=True, blank=True)
    progress_source = models.CharField(
        _("how the progress is obtained"), max_length=10, choices=ProgressSource.choices, default=ProgressSource.MANUAL
    )

    history = HistoricalRecords()

    # An item not finished may move to any working status (or stay delayed, or in progress); a completed one
    # is reopened when found incomplete; a cancelled one is final.
    WORKFLOW = Workflow(
        {
            ItemStatus.NOT_STARTED: _UNFINISHED_TARGETS,
            ItemStatus.IN_PROGRESS: _UNFINISHED_TARGETS,
            ItemStatus.DELAYED: _UNFINISHED_TARGETS,
            ItemStatus.COMPLETED: {ItemStatus.IN_PROGRESS},
            ItemStatus.CANCELLED: set(),
        }
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan item (all versions)")
        verbose_name_plural = _("plan items (all versions)")
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_at_most_100")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("plans:item", args=[self.code])

    @property
    def follows_indicators(self) -> bool:
        return self.progress_source == ProgressSource.INDICATORS


# The facts of an item besides its text, and every field ``services.save_item`` takes.
ITEM_FACTS = ("responsible_body", "deadline", "completion_form", "budget_kzt", "budget_source", "weight")
ITEM_FIELDS = ("text_kk", "text_ru", "text_en", *ITEM_FACTS, "position")


class Objective(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="objectives")
    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=20)  # stable across versions, like an item's code
    position = models.PositiveSmallIntegerField(default=1)
    title_kk = models.CharField(_("objective (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("objective (Russian)"), max_length=500, blank=True)
    title_en = models.CharField(_("objective (English)"), max_length=500, blank=True)

    title = Localized("title")

    class Meta:
        ordering = ["version", "strand__sort_order", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_objective_key_per_version")]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="items")
    tracked = models.ForeignKey(TrackedItem, on_delete=models.PROTECT, related_name="versions")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=1)
    # Denormalised "strand.objective.measure" numbering, recomputed when the working copy changes.
    number = models.CharField(_("number"), max_length=20, blank=True)
    text_kk = BoundedTextField(_("measure (Kazakh)"), blank=True, max_length=DESCRIPTION)
    text_ru = BoundedTextField(_("measure (Russian)"), blank=True, max_length=DESCRIPTION)
    text_en = BoundedTextField(_("measure (English)"), blank=True, max_length=DESCRIPTION)
    responsible_body = models.CharField(_("responsible body"), max_length=300)
    partners = models.ManyToManyField(Organisation, blank=True, related_name="plan_items", verbose_name=_("partners"))
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("regions"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completion_form = models.CharField(_("form of completion"), max_length=300, blank=True)
    budget_kzt = models.DecimalField(_("budget, KZT"), max_digits=16, decimal_places=0, null=True, blank=True)
    budget_source = models.CharField(_("source of funding"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, help_text=_("How much the item counts in its objective's and strand's progress.")
    )

    text = Localized("text")
    # Every edit of the working copy, with who and why; a published version's rows never change.
    history = HistoricalRecords(excluded_fields=["number"])

    class Meta:
        ordering = ["version", "objective__strand__sort_order", "objective__position", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "tracked"], name="one_item_per_version")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return f"{self.number} {self.tracked_id}"


class Indicator(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(default=1)
    # The Russian name keeps the column of the single name of earlier releases (rolling upgrades); the Kazakh and
    # English ones were added beside it (issue 16).
    name_kk = models.CharField(_("indicator (Kazakh)"), max_length=300, blank=True, default="", db_default="")
    name_ru = models.CharField(_("indicator (Russian)"), max_length=300, blank=True, db_column="name")
    name_en = models.CharField(_("indicator (English)"), max_length=300, blank=True, default="", db_default="")
    # As the name: the Russian unit keeps the old "unit" column.
    unit_kk = models.CharField(_("unit (Kazakh)"), max_length=50, blank=True, default="", db_default="")
    unit_ru = models.CharField(_("unit (Russian)"), max_length=50, blank=True, db_column="unit")
    unit_en = models.CharField(_("unit (English)"), max_length=50, blank=True, default="", db_default="")
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)

    name = Localized("name")
    unit = Localized("unit")

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year", "region__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "region"], name="one_target_per_year_region"),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(region__isnull=True),
                name="one_national_target_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class Provenance(models.Model):
    """Why an item is in the plan: a suggestion, through a roundtable decision (or an officer's own call)."""

    tracked = models.ForeignKey(TrackedItem, on_delete=models.CASCADE, related_name="provenance")
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_provenance"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="plan_provenance"
    )
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    created_new_item = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tracked", "decision"], condition=models.Q(decision__isnull=False), name="one_link_per_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracked_id} <- {self.suggestion_id}"


class ProgressUpdate(models.Model):
    tracked = models.ForeignKey(TrackedItem, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress, %"), validators=[MaxValueValidator(100)])
    note = BoundedTextField(_("what was done"), max_length=DESCRIPTION)
    evidence_url = models.URLField(_("evidence (link)"), blank=True, validators=[validate_web_url])
    # "indicators": the progress was computed from the item's indicators, not typed by the author.
    source = models.CharField(max_length=10, choices=ProgressSource.choices, default=ProgressSource.MANUAL)
    # An update written by the system keeps its facts (year, each indicator's actual against target) rather
    # than a sentence, so that ``text`` writes it in the language of whoever reads it.
    record = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.tracked_id}: {self.progress}%"

    @property
    def text(self) -> str:
        """What was done: the author's note, or the system's note in the active language."""
        if self.record:
            from kelisim.plans.progress import note_of

            return note_of(self.record) or self.note
        return self.note
