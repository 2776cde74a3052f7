"""Activity reports (S6): what an NGO did, where, for whom, and how many people came.

Privacy by design: a report carries aggregate counts only (by sex and age band). There is no field
for a participant's name, identity number or beliefs, and the free-text fields say so.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core import files, links
from kelisim.core.fields import LONG_TEXT, NOTE, BoundedTextField
from kelisim.core.models import Region, Strand
from kelisim.core.workflow import Workflow
from kelisim.organisations.models import Expert, LanguageSet, Organisation

PERSONAL_DATA_WARNING = _(
    "Do not write participants' names, identity numbers, addresses, phone numbers or religious beliefs here: "
    "reports carry aggregate counts only."
)
MAX_COUNT = 1_000_000
MAX_REACH = 2_000_000_000


class ActivityType(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    ROUNDTABLE = "roundtable", _("Roundtable")
    PRISON_SESSION = "prison_session", _("Session in a prison")
    SPORTS_CULTURAL = "sports_cultural", _("Sports or cultural event")
    ONLINE_CAMPAIGN = "online_campaign", _("Online campaign")
    MEDIA_MATERIAL = "media_material", _("Media material")


class VenueType(models.TextChoices):
    SCHOOL = "school", _("School")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    PRISON = "prison", _("Prison")
    RELIGIOUS_COMMUNITY = "religious_community", _("Religious community")
    WORKPLACE = "workplace", _("Workplace")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    SCHOOL_STUDENTS = "school_students", _("School students")
    UNIVERSITY_STUDENTS = "university_students", _("University students")
    WORKING_YOUTH = "working_youth", _("Working youth")
    UNEMPLOYED_YOUTH = "unemployed_youth", _("Unemployed youth")
    INMATES = "inmates", _("Inmates")
    PARENTS = "parents", _("Parents")
    RELIGIOUS_COMMUNITY = "religious_community", _("Religious community")
    GENERAL_PUBLIC = "general_public", _("General public")


class AudienceSet(models.CharField):
    """Audience codes separated by commas (a report has a few; dashboards count them in a summary table)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


def audience_codes(value: str) -> list[str]:
    return [code for code in (value or "").split(",") if code in Audience.values]


# Attendance cells: (field name, sex, age band). Totals are computed from these and stored, so that
# summaries and lists never add eight columns at read time.
SEXES = (("female", _("Women and girls")), ("male", _("Men and boys")))
AGE_BANDS = (
    ("under14", _("under 14")),
    ("14_18", _("14–18")),
    ("19_29", _("19–29")),
    ("30plus", _("30 and over")),
)
ATTENDANCE_FIELDS = tuple(f"{sex}_{band}" for sex, _label in SEXES for band, _label2 in AGE_BANDS)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")


EDITABLE_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def _count_field(verbose_name):
    return models.PositiveIntegerField(verbose_name, default=0, validators=[MaxValueValidator(MAX_COUNT)])


class ActivityReport(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activity_reports",
        verbose_name=_("reporting organisation"),
    )
    activity_type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=300)
    description = BoundedTextField(_("description"), blank=True, max_length=LONG_TEXT, help_text=PERSONAL_DATA_WARNING)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    settlement = models.CharField(_("settlement"), max_length=200, blank=True)
    venue_type = models.CharField(_("venue type"), max_length=20, choices=VenueType.choices)
    languages = LanguageSet(_("languages"))
    audiences = AudienceSet(_("audience categories"))
    strand = models.ForeignKey(Strand, on_delete=models.PROTECT, related_name="+", verbose_name=_("strand"))
    plan_item = models.ForeignKey(
        "plans.TrackedItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_reports",
        verbose_name=_("plan item"),
    )
    milestone = models.ForeignKey(
        "funding.Milestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_reports",
        verbose_name=_("contract milestone"),
    )
    lecturers = models.ManyToManyField(Expert, blank=True, related_name="activity_reports", verbose_name=_("lecturers"))
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_activity_reports", verbose_name=_("partner organisations")
    )
    material_links = BoundedTextField(
        _("materials (links)"),
        blank=True,
        max_length=LONG_TEXT,
        help_text=_("One address per line: presentations, videos, posts."),
        validators=[links.validate_link_list],
    )
    material_file = models.FileField(_("material (file)"), blank=True, **files.DOCUMENTS.field_options())
    material_file_name = models.CharField(
        _("file name"), max_length=255, blank=True, editable=False, default="", db_default=""
    )

    female_under14 = _count_field(_("women and girls under 14"))
    female_14_18 = _count_field(_("women and girls 14–18"))
    female_19_29 = _count_field(_("women 19–29"))
    female_30plus = _count_field(_("women 30 and over"))
    male_under14 = _count_field(_("men and boys under 14"))
    male_14_18 = _count_field(_("men and boys 14–18"))
    male_19_29 = _count_field(_("men 19–29"))
    male_30plus = _count_field(_("men 30 and over"))
    participants = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    youth_14_29 = models.PositiveIntegerField(_("young people 14–29"), default=0, editable=False)

    online_posts = models.PositiveIntegerField(_("posts"), default=0, validators=[MaxValueValidator(MAX_REACH)])
    online_views = models.PositiveBigIntegerField(_("views"), default=0, validators=[MaxValueValidator(MAX_REACH)])
    online_shares = models.PositiveBigIntegerField(_("shares"), default=0, validators=[MaxValueValidator(MAX_REACH)])

    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    return_comment = BoundedTextField(_("comment to the organisation"), blank=True, max_length=NOTE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_job = models.ForeignKey(
        "activities.ReportImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # The whole workflow. Who may take each step is ``rules.can_move_report``: the organisation's members
    # submit; officers verify or return (a verified report may be reopened by returning it, with a comment,
    # which takes it out of every count).
    WORKFLOW = Workflow(
        {
            ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
            ReportStatus.SUBMITTED: {ReportStatus.VERIFIED, ReportStatus.RETURNED},
            ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
            ReportStatus.VERIFIED: {ReportStatus.RETURNED},
        }
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "start_date"]),
            models.Index(fields=["status", "start_date"]),
            # A plan item's latest verified reports (its public page and trace): without it SQLite walked every
            # verified report in date order looking for the item's (2.4 s at a million reports).
            models.Index(fields=["plan_item", "status", "start_date"]),
            # The verification queue, oldest submitted first (100,000 waiting reports were sorted per page).
            models.Index(fields=["status", "submitted_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="activity_dates_order"
            ),
        ]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.compute_totals()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("activities:report", args=[self.pk])

    def compute_totals(self) -> None:
        self.participants = sum(getattr(self, name) or 0 for name in ATTENDANCE_FIELDS)
        self.youth_14_29 = sum(
            getattr(self, f"{sex}_{band}") or 0 for sex, _label in SEXES for band in ("14_18", "19_29")
        )

    def clean(self):
        from kelisim.activities.validation import as_validation_error, cross_field_problems

        fields = {name: getattr(self, name) for name in ("start_date", "end_date", "activity_type", "venue_type")}
        if problems := cross_field_problems(fields):
            raise as_validation_error(problems)

    @property
    def audience_list(self) -> list[str]:
        labels = dict(Audience.choices)
        return [labels[code] for code in audience_codes(self.audiences)]

    @property
    def reaches_inmates(self) -> bool:
        return Audience.INMATES in audience_codes(self.audiences)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def link_list(self) -> list[str]:
        """The material links (shown through ``{% web_link %}``, which shows any non-web address as text)."""
        return links.link_list(self.material_links)

    @property
    def attendance_table(self) -> list[dict]:
        """Rows by sex with a cell per age band and the row total; the caller adds the column totals."""
        rows = []
        for sex, label in SEXES:
            cells = [getattr(self, f"{sex}_{band}") for band, _label in AGE_BANDS]
            rows.append({"label": label, "cells": cells, "total": sum(cells)})
        return rows

    @property
    def attendance_column_totals(self) -> list[int]:
        return [getattr(self, f"female_{band}") + getattr(self, f"male_{band}") for band, _label in AGE_BANDS]

    @property
    def status_badge_class(self) -> str:
        return {
            ReportStatus.VERIFIED: "badge-ok",
            ReportStatus.RETURNED: "badge-danger",
            ReportStatus.SUBMITTED: "badge-warn",
        }.get(self.status, "")


class StatusChange(models.Model):
    """One step of a report's workflow: who, when, from what to what, and why."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = BoundedTextField(blank=True, max_length=NOTE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} -> {self.to_status}"


class ReportImport(models.Model):
    """An uploaded XLSX of reports, checked and imported all or nothing by a background task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        PREVIEW = "preview", _("Checked: waiting for your confirmation")
        CONFIRMED = "confirmed", _("Confirmed: waiting to be written")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected: nothing imported")
        CANCELLED = "cancelled", _("Cancelled: nothing imported")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.FileField(**files.SPREADSHEET_IMPORT.field_options())
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # The reports the file would create (importing.preview), shown before anything is written.
    preview = models.JSONField(default=dict, db_default={}, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING, self.Status.CONFIRMED}

    @property
    def progress_percent(self) -> int:
        if not self.is_running:
            return 100
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.processed_rows / self.total_rows))


# --- Summary tables: what dashboards read. Kept current by services.transition_report (same transaction) and
# rebuilt from scratch by `manage.py rebuild_activity_summaries`. Measures are sums over verified reports.
MEASURES = (
    "events",
    "participants",
    "youth_14_29",
    "inmates",
    "online_views",
    "online_posts",
    "online_shares",
    *ATTENDANCE_FIELDS,
)


class _SummaryMeasures(models.Model):
    events = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)
    youth_14_29 = models.PositiveBigIntegerField(default=0)
    inmates = models.PositiveBigIntegerField(default=0)
    online_views = models.PositiveBigIntegerField(default=0)
    online_posts = models.PositiveBigIntegerField(default=0)
    online_shares = models.PositiveBigIntegerField(default=0)
    female_under14 = models.PositiveBigIntegerField(default=0)
    female_14_18 = models.PositiveBigIntegerField(default=0)
    female_19_29 = models.PositiveBigIntegerField(default=0)
    female_30plus = models.PositiveBigIntegerField(default=0)
    male_under14 = models.PositiveBigIntegerField(default=0)
    male_14_18 = models.PositiveBigIntegerField(default=0)
    male_19_29 = models.PositiveBigIntegerField(default=0)
    male_30plus = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


class ActivitySummary(_SummaryMeasures):
    """Verified reports summed by month × region × strand × organisation × type (month = its start date's)."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    activity_type = models.CharField(max_length=20, choices=ActivityType.choices)

    KEY = ("year", "month", "region_id", "strand_id", "organisation_id", "activity_type")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "region", "strand", "organisation", "activity_type"],
                name="activity_summary_key",
            )
        ]
        indexes = [models.Index(fields=["year", "month"]), models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.region_id}/{self.strand_id}/{self.organisation_id}"


class AudienceSummary(models.Model):
    """Verified reports by audience category (a report with two audiences counts under both)."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=30, choices=Audience.choices)
    events = models.PositiveIntegerField(default=0)
    participants = models.PositiveBigIntegerField(default=0)

    KEY = ("year", "month", "region_id", "strand_id", "organisation_id", "audience")
    MEASURES = ("events", "participants")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "region", "strand", "organisation", "audience"], name="audience_summary_key"
            )
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.audience}"


class PlanItemSummary(_SummaryMeasures):
    """Verified reports filed against a plan item, by year and region: what computed indicators read."""

    plan_item = models.ForeignKey("plans.TrackedItem", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")

    KEY = ("plan_item_id", "year", "region_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan_item", "year", "region"], name="plan_item_summary_key"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_item_id} {self.year} {self.region_id}"


# --- Indicators. plans.Indicator is defined on a plan item with its baseline and targets; this app says
# how its value is obtained (a declared rule over verified reports, or manual values with evidence).
class IndicatorRule(models.TextChoices):
    EVENTS = "events", _("Events held")
    PARTICIPANTS = "participants", _("Participants")
    YOUTH = "youth_14_29", _("Young people 14–29 reached")
    INMATES = "inmates", _("Inmates reached")
    ONLINE_REACH = "online_views", _("Online reach (views)")
    MANUAL = "manual", _("Entered by hand with evidence")


class IndicatorSource(models.Model):
    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, related_name="activity_source", verbose_name=_("indicator")
    )
    rule = models.CharField(_("how it is computed"), max_length=20, choices=IndicatorRule.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator source")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.get_rule_display()}"


class ManualIndicatorValue(models.Model):
    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="manual_values")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    evidence_url = models.URLField(_("evidence (link)"), blank=True, validators=[links.validate_web_url])
    evidence_file = models.FileField(_("evidence (file)"), blank=True, **files.DOCUMENTS.field_options())
    evidence_file_name = models.CharField(
        _("file name"), max_length=255, blank=True, editable=False, default="", db_default=""
    )
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=PERSONAL_DATA_WARNING)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(evidence_url="") | ~models.Q(evidence_file=""), name="manual_value_has_evidence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.year} = {self.value}"
