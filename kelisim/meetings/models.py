"""Roundtables (S2): scheduled meetings of officials and NGOs, their agenda, registration, attendance,
minutes and the decisions that carry suggestions forward.

A decision that incorporates a suggestion into the action plan names the plan item only by its stable
public code (``plan_item_code``, e.g. "AP-0007") and the item's number when decided (``plan_item_number``,
"2.1.3"), worded for people in the reader's language by ``Decision.plan_item_label``. The plans app, which
comes after this one, owns the real link (``plans.Provenance``) and fills these two columns; this app never
imports plans.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.consultations import answers
from kelisim.consultations.models import Programme, Suggestion
from kelisim.core import files
from kelisim.core.fields import DESCRIPTION, DOCUMENT, NOTE, BoundedTextField
from kelisim.core.i18n import Localized, localized_fields
from kelisim.core.links import validate_web_url
from kelisim.core.workflow import Workflow
from kelisim.organisations.models import Organisation

MAX_ATTACHMENT_BYTES = files.DOCUMENTS.max_bytes

# What an officer may set on a roundtable (services.save_roundtable refuses any other field).
ROUNDTABLE_FIELDS = (
    *localized_fields("title"),
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "organiser",
    "capacity",
    "access",
    "programme",
)


class Roundtable(models.Model):
    class Access(models.TextChoices):
        PUBLIC = "public", _("Open to every organisation")
        INVITATION = "invitation", _("By invitation")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CLOSED = "closed", _("Closed, minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    # The meeting's life, and nothing else: closed and cancelled are final (minutes, once published, stay).
    WORKFLOW = Workflow(
        {
            Status.SCHEDULED: {Status.CLOSED, Status.CANCELLED},
            Status.CLOSED: set(),
            Status.CANCELLED: set(),
        }
    )

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roundtables",
        verbose_name=_("programme"),
    )
    # The Russian title keeps the column of the single title of earlier releases (rolling upgrades: old code still
    # reads and writes "title"); the Kazakh and English ones were added beside it (issue 16).
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True, default="", db_default="")
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True, db_column="title")
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True, default="", db_default="")
    topic = BoundedTextField(_("topic"), blank=True, max_length=NOTE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True, validators=[validate_web_url])
    organiser = models.CharField(_("organiser"), max_length=300)
    capacity = models.PositiveIntegerField(
        _("seats"), help_text=_("People who can register; others join the waiting list.")
    )
    access = models.CharField(_("who may register"), max_length=12, choices=Access.choices, default=Access.PUBLIC)
    invited_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="roundtable_invitations", verbose_name=_("invited organisations")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    # Confirmed seats, kept next to the capacity so that taking a seat is one conditional update.
    seats_taken = models.PositiveIntegerField(default=0)
    minutes_markdown = BoundedTextField(_("minutes"), blank=True, max_length=DOCUMENT)
    minutes_html = models.TextField(blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["seats_taken", "minutes_html", "reminder_sent_at"])

    title = Localized("title")

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("roundtable")
        verbose_name_plural = _("roundtables")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="roundtable_ends_after_start",
                violation_error_message=_("The roundtable must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("capacity")), name="roundtable_seats_within_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.starts_at > timezone.now()

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.seats_taken)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Seat confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roundtable_registrations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roundtable_registrations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # The database, not the code, is what stops a double click or two tabs from registering twice.
            models.UniqueConstraint(
                fields=["roundtable", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.roundtable_id} ({self.status})"


class AgendaItem(models.Model):
    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)
    # As on the roundtable: the Russian title keeps the old "title" column.
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True, default="", db_default="")
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True, db_column="title")
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True, default="", db_default="")
    suggestions = models.ManyToManyField(
        Suggestion, blank=True, related_name="agenda_items", verbose_name=_("suggestions to discuss")
    )
    # Stable codes of plan items to discuss ("AP-0003 AP-0007"); the plans app turns them into links.
    plan_item_codes = models.CharField(_("plan items to discuss"), max_length=500, blank=True)

    title = Localized("title")

    class Meta:
        ordering = ["roundtable", "starts_at", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    @property
    def plan_item_code_list(self) -> list[str]:
        return [code for code in self.plan_item_codes.replace(",", " ").split() if code]


class Attendance(models.Model):
    """How many people an organisation sent. Only the count: the platform keeps no list of names."""

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roundtable_attendance")
    people = models.PositiveSmallIntegerField(_("people"))

    class Meta:
        ordering = ["roundtable", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roundtable", "organisation"], name="one_attendance_per_organisation")
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.people}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
        XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"
        GIF = "image/gif", "GIF"
        WEBP = "image/webp", "WebP"

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), **files.DOCUMENTS.field_options())
    original_name = models.CharField(_("file name"), max_length=255, blank=True, default="", db_default="")
    content_type = models.CharField(max_length=100, choices=Kind.choices)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["roundtable", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    class Kind(models.TextChoices):
        INCORPORATE = "incorporate", _("Incorporate into the action plan")
        MERGE = "merge", _("Merge with another suggestion")
        DECLINE = "decline", _("Decline")
        DEFER = "defer", _("Defer")

    class Acceptance(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")

    roundtable = models.ForeignKey(Roundtable, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, null=True, blank=True, related_name="roundtable_decisions"
    )
    kind = models.CharField(_("decision"), max_length=12, choices=Kind.choices)
    acceptance = models.CharField(_("accepted"), max_length=16, choices=Acceptance.choices, blank=True)
    # The Russian wording keeps the column of the single wording of earlier releases (rolling upgrades); the Kazakh
    # and English ones were added beside it (issue 16).
    text_kk = BoundedTextField(
        _("wording of the decision (Kazakh)"), max_length=DESCRIPTION, blank=True, default="", db_default=""
    )
    text_ru = BoundedTextField(
        _("wording of the decision (Russian)"), max_length=DESCRIPTION, blank=True, db_column="text"
    )
    text_en = BoundedTextField(
        _("wording of the decision (English)"), max_length=DESCRIPTION, blank=True, default="", db_default=""
    )
    merge_into = models.ForeignKey(
        Suggestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("merge into")
    )
    # Loose references filled by the plans app (see the module docstring).
    plan_item_code = models.CharField(max_length=20, blank=True, db_index=True)
    plan_item_number = models.CharField(max_length=100, blank=True, db_column="plan_item_label")
    applied_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    text = Localized("text")

    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__starts_at", "agenda_item__position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "suggestion"],
                condition=models.Q(suggestion__isnull=False),
                name="one_decision_per_suggestion_and_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.roundtable_id})"

    @property
    def plan_item_label(self) -> str:
        """The plan item as people name it ("item 2.1.3 (AP-0007)"), in the active language."""
        return answers.plan_item_label(self.plan_item_number, self.plan_item_code)
