"""Public consultation (S1): a programme's documents in versions, and the suggestions people send on them.

A version is made of sections and paragraphs. Each carries a ``key`` that stays the same in every
later version of the document (the import matches new text to the previous version), so that a
suggestion made on paragraph ``p-3f9a1c`` of version 1 can be found next to the same paragraph in
version 2.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.consultations import answers
from kelisim.core import files
from kelisim.core.fields import DOCUMENT, LONG_TEXT, NOTE, BoundedTextField
from kelisim.core.i18n import ContentLanguage, Localized
from kelisim.core.models import Region, Strand
from kelisim.core.workflow import Workflow

TEXT_MIN_LENGTH = 10
TEXT_MAX_LENGTH = 1500


def new_key(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Programme(models.Model):
    """The programme under consultation, e.g. the 2017–2020 programme for preventing extremism."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    responsible_body_kk = models.CharField(_("responsible body (Kazakh)"), max_length=300, blank=True)
    responsible_body_ru = models.CharField(_("responsible body (Russian)"), max_length=300, blank=True)
    responsible_body_en = models.CharField(_("responsible body (English)"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    strands = models.ManyToManyField(Strand, blank=True, related_name="programmes", verbose_name=_("strands"))

    title = Localized("title")
    responsible_body = Localized("responsible_body")

    class Meta:
        ordering = ["-period_start", "slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="programme_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.slug


class Document(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Draft programme")
        ACTION_PLAN = "action_plan", _("Draft action plan")
        OTHER = "other", _("Other document")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="documents", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    title = Localized("title")

    class Meta:
        ordering = ["programme", "sort_order", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("consultations:document", args=[self.slug])


class DocumentVersion(models.Model):
    """One published text of a document, with its own consultation window."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    opens_at = models.DateTimeField(_("consultation opens"))
    closes_at = models.DateTimeField(_("consultation closes"))
    allow_anonymous = models.BooleanField(_("anonymous suggestions allowed"), default=True)
    is_published = models.BooleanField(_("published"), default=False)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer within (days)"),
        default=30,
        db_default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The target time for an official answer; officers see each suggestion's age against it."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Counters kept by services.submit_suggestion, so that a document page does not count
    # hundreds of thousands of rows on every view.
    suggestion_count = models.PositiveIntegerField(default=0, editable=False)
    # Possible duplicates scoring below this are not shown to the officers (see consultations.duplicates).
    duplicate_threshold = models.FloatField(
        _("duplicate threshold"),
        default=0.35,
        db_default=0.35,
        validators=[MinValueValidator(0.2), MaxValueValidator(1.0)],
        help_text=_("Lower shows more possible duplicates (and more false ones); higher shows fewer."),
    )
    # Mail to this address in the intake mailbox becomes a suggestion on this version (consultations.mailbox).
    intake_address = models.EmailField(
        _("intake email address"),
        blank=True,
        db_default="",
        db_index=True,
        help_text=_("Emails sent to this address become suggestions on this version. Leave empty for none."),
    )

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="window_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("consultations:version", args=[self.document.slug, self.number])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    @property
    def window_state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Section(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("stable ID"), max_length=20)
    position = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=2)
    heading_kk = models.CharField(_("heading (Kazakh)"), max_length=500, blank=True)
    heading_ru = models.CharField(_("heading (Russian)"), max_length=500, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=500, blank=True)
    suggestion_count = models.PositiveIntegerField(default=0, editable=False)

    heading = Localized("heading")

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_section_key_per_version")]

    def __str__(self) -> str:
        return self.heading


class Paragraph(models.Model):
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs", null=True, blank=True)
    key = models.CharField(_("stable ID"), max_length=20)
    position = models.PositiveIntegerField()
    text_kk = BoundedTextField(_("text (Kazakh)"), blank=True, max_length=DOCUMENT)
    text_ru = BoundedTextField(_("text (Russian)"), blank=True, max_length=DOCUMENT)
    text_en = BoundedTextField(_("text (English)"), blank=True, max_length=DOCUMENT)
    suggestion_count = models.PositiveIntegerField(default=0, editable=False)

    text = Localized("text")

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_paragraph_key_per_version")]

    def __str__(self) -> str:
        return self.key


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    DECLINED = "declined", _("Declined")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    MERGED = "merged", _("Merged")


class Channel(models.TextChoices):
    """How a suggestion reached the programme office."""

    WEB = "web", _("Website")
    EMAIL = "email", _("Email to the intake address")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    MEETING = "meeting", _("At a meeting")
    FORWARDED = "forwarded", _("Email forwarded by an officer")


# The channels an officer records by hand (the website and the intake mailbox record themselves).
RECORDED_CHANNELS = (Channel.LETTER, Channel.PHONE, Channel.MEETING, Channel.FORWARDED)

ANSWERED_STATUSES = frozenset({Status.ACCEPTED, Status.PARTLY_ACCEPTED, Status.DECLINED, Status.OUT_OF_SCOPE})
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.UNDER_REVIEW})


class Suggestion(models.Model):
    # The workflow, and nothing else: a status may only move to the ones listed here.
    WORKFLOW = Workflow(
        {
            Status.RECEIVED: {Status.UNDER_REVIEW, Status.OUT_OF_SCOPE, Status.MERGED},
            Status.UNDER_REVIEW: {
                Status.ACCEPTED,
                Status.PARTLY_ACCEPTED,
                Status.DECLINED,
                Status.OUT_OF_SCOPE,
                Status.MERGED,
            },
            # An answer can be reopened when it was given in error; the reopening is in the history too.
            Status.ACCEPTED: {Status.UNDER_REVIEW},
            Status.PARTLY_ACCEPTED: {Status.UNDER_REVIEW},
            Status.DECLINED: {Status.UNDER_REVIEW},
            Status.OUT_OF_SCOPE: {Status.UNDER_REVIEW},
            Status.MERGED: {Status.UNDER_REVIEW},
        }
    )

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("document version")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="suggestions", verbose_name=_("section")
    )
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("paragraph"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = BoundedTextField(_("suggestion"), max_length=TEXT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    strand = models.ForeignKey(
        Strand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("strand")
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("author"),
    )
    # An anonymous author may leave an address to hear the answer; it is used once confirmed, never shown.
    contact_email = models.EmailField(_("email for the answer"), blank=True)
    contact_email_confirmed_at = models.DateTimeField(null=True, blank=True)
    contact_token = models.CharField(max_length=64, blank=True, db_index=True)
    follow_token = models.CharField(max_length=64, unique=True, default=new_token)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    official_answer = BoundedTextField(_("official answer"), blank=True, max_length=LONG_TEXT)
    # An answer the system gives (a roundtable's decision) is kept as facts and worded in each reader's
    # language (``consultations.answers``); then ``official_answer`` stays empty.
    answer_facts = models.JSONField(default=dict, db_default={}, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_suggestions",
        verbose_name=_("assigned to"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_suggestions",
        verbose_name=_("merged into"),
    )
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    # Published comments on the suggestion, kept by the comments component (Commentable.counter_field).
    comment_count = models.PositiveIntegerField(_("comments"), default=0, db_default=0, editable=False)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.WEB, db_default=Channel.WEB
    )
    # For suggestions recorded by an officer: when the letter, call or meeting happened, who typed it in,
    # a private contact (phone or postal address, never published) and the scan of a letter.
    received_on = models.DateField(_("received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    contact_note = models.CharField(_("contact (private)"), max_length=300, blank=True, default="", db_default="")
    scan = models.FileField(
        _("scan of the letter"), blank=True, default="", db_default="", **files.SCANS.field_options()
    )
    scan_content_type = models.CharField(max_length=100, blank=True, default="", db_default="")

    history = HistoricalRecords(excluded_fields=["support_count", "comment_count", "contact_token", "follow_token"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [
            # Lists are ordered by date or support; these let a page stop after 25 rows.
            models.Index(fields=["created_at", "id"], name="suggestion_by_date"),
            models.Index(fields=["support_count", "created_at"], name="suggestion_by_support"),
            models.Index(fields=["version", "status", "created_at"]),
            models.Index(fields=["paragraph", "status"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["channel", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | ~models.Q(merged_into=models.F("pk")),
                name="suggestion_not_merged_into_itself",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("consultations:suggestion", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.author_id is not None

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def days_waiting(self) -> int:
        return (timezone.now() - self.created_at).days

    @property
    def answer_text(self) -> str:
        """The official answer in the active language: the officer's text, or the system's worded now."""
        if self.answer_facts:
            return answers.word(self.answer_facts)
        return self.official_answer


class StatusChange(models.Model):
    """One move in a suggestion's workflow: who, when, why. Shown publicly without the officer's name."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = BoundedTextField(blank=True, max_length=NOTE)
    created_at = models.DateTimeField(default=timezone.now)

    # Reasons the system gives when a roundtable closes: stored as these fixed codes (meetings writes them),
    # worded in the reader's language by ``reason_text``. Any other reason is a person's own words.
    ROUNDTABLE_DECISION = "roundtable decision"
    REOPENED_BY_ROUNDTABLE = "reopened by a roundtable"
    DEFERRED_BY_ROUNDTABLE = "deferred by a roundtable"
    SYSTEM_REASONS = {
        ROUNDTABLE_DECISION: _("Decided by a roundtable"),
        REOPENED_BY_ROUNDTABLE: _("Reopened by a roundtable"),
        DEFERRED_BY_ROUNDTABLE: _("Deferred by a roundtable"),
    }

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.from_status} -> {self.to_status}"

    @property
    def reason_text(self) -> str:
        return str(self.SYSTEM_REASONS.get(self.reason, self.reason))


class Support(models.Model):
    """'I support this': once per account, or once per browser for visitors (a random ID in a signed cookie)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    # NULL (not "") for accounts' supports, so that the per-browser unique constraint ignores them.
    browser_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "user"], condition=models.Q(user__isnull=False), name="one_support_per_account"
            ),
            models.UniqueConstraint(
                fields=["suggestion", "browser_key"],
                condition=models.Q(browser_key__isnull=False),
                name="one_support_per_browser",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(browser_key__isnull=False),
                name="support_has_a_supporter",
            ),
        ]

    def __str__(self) -> str:
        return f"support of {self.suggestion_id}"


class ReferenceCounter(models.Model):
    """The last number given out under a prefix (the programme's first year): 2017-00001, 2017-00002, …"""

    prefix = models.CharField(max_length=10, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class FingerprintGram(models.Model):
    """Inverted index: the rarest grams of each suggestion, to fetch candidate duplicates fast."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    gram = models.IntegerField()
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["document", "gram"])]

    def __str__(self) -> str:
        return f"{self.gram} in {self.suggestion_id}"


class GramFrequency(models.Model):
    """How many suggestions contain a gram (document frequency, for IDF)."""

    gram = models.IntegerField(primary_key=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.gram}: {self.count}"


class SimilarPair(models.Model):
    """A possible duplicate, stored both ways so that a look-up is one indexed query.

    ``score`` is what the finder ranks by: ``semantic`` (sentence-encoder cosine after removing part of each
    language's centre) plus a share of ``lexical`` (character-trigram TF-IDF cosine). ``standout`` is how many
    standard deviations ``semantic`` lies above each suggestion's similarity to the rest of its document (the
    lower of the two); empty while the document is too small to have a background. It decides the band."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="similar_pairs")
    other = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    semantic = models.FloatField(default=0.0, db_default=0.0)
    lexical = models.FloatField(default=0.0, db_default=0.0)
    standout = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["suggestion", "-score"])]
        constraints = [models.UniqueConstraint(fields=["suggestion", "other"], name="unique_similar_pair")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} ~ {self.other_id}: {self.score:.2f}"


class SuggestionVector(models.Model):
    """A suggestion's sentence-encoder vector (float32 bytes), kept so that it is encoded only once."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, primary_key=True, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    vector = models.BinaryField()
    # Mean and standard deviation of the suggestion's semantic score with the other suggestions of its document,
    # taken when it was (re)indexed: the background a possible duplicate has to stand out from.
    background_mean = models.FloatField(null=True, blank=True)
    background_spread = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["document", "suggestion"])]

    def __str__(self) -> str:
        return f"vector of {self.suggestion_id}"


class LanguageCentre(models.Model):
    """The running sum of the vectors of all suggestions in one language (its centre is total / count)."""

    language = models.CharField(max_length=2, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    total = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.language}: {self.count}"


class PairDecision(models.Model):
    """An officer's word on a possible duplicate: confirmed pairs form groups, dismissed ones are never shown again.

    Stored once per pair, the smaller suggestion id first."""

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Same proposal")
        DISMISSED = "dismissed", _("Not the same")

    first = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_decision_per_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="pair_decision_in_order"),
        ]
        indexes = [models.Index(fields=["second", "first"])]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}: {self.decision}"


class InboundEmail(models.Model):
    """One message read from the intake mailbox, recorded once whatever became of it.

    ``message_key`` (the Message-ID, or a hash of the message when it has none) is unique: a message read
    again after a crash between this row's commit and its move to a folder is recognised and only moved."""

    class Outcome(models.TextChoices):
        SUGGESTION = "suggestion", _("New suggestion")
        ADDITION = "addition", _("Added to a suggestion")
        IGNORED = "ignored", _("Ignored (automatic reply or bounce)")
        ATTENTION = "attention", _("Needs attention")

    message_key = models.CharField(max_length=255, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    sender = models.EmailField(_("sender (private)"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    # The message's text as read (a long email is cut to the suggestion's limit; the whole text stays here).
    text = BoundedTextField(_("text"), blank=True, max_length=LONG_TEXT)
    version = models.ForeignKey(DocumentVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    # The acknowledgement's Message-ID: a reply naming it (In-Reply-To, References) joins the same suggestion.
    acknowledgement_id = models.CharField(max_length=200, blank=True, db_index=True)
    received_at = models.DateTimeField(_("read on"), default=timezone.now)
    resolved_at = models.DateTimeField(_("dealt with on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("email received")
        verbose_name_plural = _("emails received")
        indexes = [models.Index(fields=["outcome", "resolved_at", "received_at"])]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.subject or self.message_key}"


class EmailAttachment(models.Model):
    """A file that came with an email: kept privately when the upload policy accepts it, otherwise only
    named, with the reason it was refused (the suggestion arrives all the same)."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="attachments")
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="email_attachments"
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), blank=True, **files.DOCUMENTS.field_options())
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    refused_reason = models.CharField(_("why it was refused"), max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name or f"attachment {self.pk}"
