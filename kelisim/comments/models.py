"""One comment and moderation component for the whole platform.

A comment hangs on any object by generic relation (articles now; suggestions, plan items and
meetings later). The host app registers its model in ``kelisim.comments.registry`` so that
comments can ask it for a title, an address and whether comments are open, without importing it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core.fields import NOTE, BoundedTextField
from kelisim.core.i18n import ContentLanguage
from kelisim.core.workflow import Workflow

MAX_COMMENT_LENGTH = 1500
EDIT_WINDOW_SECONDS = 10 * 60


class ReasonCode(models.TextChoices):
    """Why the pipeline or a moderator decided what it did. Every decision carries one."""

    # automatic acceptance
    TRUSTED_AUTHOR = "trusted_author", _("Trusted author: published, reviewed afterwards")
    STAFF_AUTHOR = "staff_author", _("Written by staff")
    # automatic hold (pre-moderation)
    NEW_AUTHOR = "new_author", _("New author: held for review")
    VISITOR = "visitor", _("Visitor without an account: held for review")
    SUSPECT_WORD = "suspect_word", _("Contains a word on the suspect list")
    CONTAINS_LINK = "contains_link", _("Contains a link")
    REPORTED = "reported", _("Hidden after reports from readers")
    EDITED = "edited", _("Edited: held for review again")
    # automatic refusal (nothing is stored)
    EMPTY = "empty", _("Empty")
    TOO_LONG = "too_long", _("Longer than 1500 characters")
    HTML = "html", _("Contains HTML")
    BANNED_WORD = "banned_word", _("Contains a banned word")
    TOO_MANY_LINKS = "too_many_links", _("Too many links")
    RATE_LIMITED = "rate_limited", _("Too many comments in a minute")
    DUPLICATE = "duplicate", _("The same text within six hours")
    AUTHOR_SANCTIONED = "author_sanctioned", _("The author is suspended or banned")
    COMMENTS_CLOSED = "comments_closed", _("Comments are closed")
    # moderator decisions
    FITS_POLICY = "fits_policy", _("Fits the comment policy")
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insults, threats or hate")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Discloses personal data")
    EXTREMISM = "extremism", _("Promotes violence or extremism")
    ILLEGAL = "illegal", _("Breaks the law")


APPROVE_REASONS = [ReasonCode.FITS_POLICY]
REJECT_REASONS = [
    ReasonCode.SPAM,
    ReasonCode.ABUSE,
    ReasonCode.OFF_TOPIC,
    ReasonCode.PERSONAL_DATA,
    ReasonCode.EXTREMISM,
    ReasonCode.ILLEGAL,
]


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Published")
        HIDDEN = "hidden", _("Hidden after reports")
        REJECTED = "rejected", _("Rejected")
        DELETED = "deleted", _("Deleted by its author")

    # Which status may follow which: services refuse anything else. Approving a comment published
    # without review (approved -> approved) records that a moderator has seen it.
    WORKFLOW = Workflow(
        {
            Status.PENDING: {Status.APPROVED, Status.REJECTED, Status.DELETED},
            Status.APPROVED: {Status.HIDDEN, Status.REJECTED, Status.PENDING, Status.DELETED, Status.APPROVED},
            Status.HIDDEN: {Status.APPROVED, Status.REJECTED, Status.DELETED},
            # The author may still delete a rejected comment (a placeholder stays where it has replies).
            Status.REJECTED: {Status.APPROVED, Status.DELETED},
            Status.DELETED: set(),
        }
    )
    # Shown in threads (a deleted comment shows as a placeholder where it has replies).
    VISIBLE = (Status.APPROVED, Status.DELETED)

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("account"),
    )
    author_name = models.CharField(_("name"), max_length=80, blank=True)
    # A visitor's address, for reply notifications and the moderator's note; never shown.
    author_email = models.EmailField(_("email"), blank=True)
    text = BoundedTextField(_("comment"), max_length=MAX_COMMENT_LENGTH)
    text_hash = models.CharField(max_length=64, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason_code = models.CharField(_("reason"), max_length=20, choices=ReasonCode.choices)
    notify_on_reply = models.BooleanField(_("email me when someone replies"), default=False)
    reply_notification_sent = models.BooleanField(default=False, editable=False)
    reply_count = models.PositiveIntegerField(_("published replies"), default=0)
    report_count = models.PositiveSmallIntegerField(_("reports"), default=0)
    moderator_note = BoundedTextField(_("moderator's note to the author"), blank=True, max_length=NOTE)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["reply_count", "text_hash", "reply_notification_sent"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "parent", "status", "-created_at"], name="comment_thread"
            ),
            models.Index(fields=["parent", "status", "created_at"], name="comment_replies"),
            models.Index(fields=["status", "-created_at"], name="comment_queue"),
            models.Index(fields=["author", "text_hash", "created_at"], name="comment_author_text"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), MAX_COMMENT_LENGTH), name="comment_text_at_most_1500"
            ),
            models.CheckConstraint(
                condition=Q(status="deleted") | GreaterThan(Length("text"), 0), name="comment_text_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(author_name="") | Q(status="deleted"),
                name="comment_has_an_author",
            ),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:40]}"

    @property
    def display_name(self) -> str:
        if self.author_id:
            return self.author.get_short_name()
        return self.author_name

    @property
    def is_deleted(self) -> bool:
        return self.status == self.Status.DELETED

    @property
    def is_visible(self) -> bool:
        return self.status in self.VISIBLE

    def editable_until(self):
        return self.created_at + timezone.timedelta(seconds=EDIT_WINDOW_SECONDS)


class CommentReport(models.Model):
    """A reader's report. Three reports hide a published comment until a moderator looks at it."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Insults, threats or hate")
        OFF_TOPIC = "off_topic", _("Off topic")
        PERSONAL_DATA = "personal_data", _("Discloses personal data")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # A visitor is told apart by a random browser token (hashed); never by address.
    reporter_browser = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], condition=Q(reporter__isnull=False), name="one_report_per_account"
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter_browser"],
                condition=~Q(reporter_browser=""),
                name="one_report_per_browser",
            ),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.get_reason_display()}"


class WordRule(models.Model):
    """A word or phrase that refuses a comment (banned) or holds it for review (suspect)."""

    class Kind(models.TextChoices):
        BANNED = "banned", _("Banned: the comment is refused")
        SUSPECT = "suspect", _("Suspect: the comment is held for review")

    phrase = models.CharField(_("word or phrase"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, blank=True, help_text=_("Empty: every language.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "phrase"]
        constraints = [models.UniqueConstraint(fields=["phrase", "kind", "language"], name="unique_word_rule")]
        verbose_name = _("word rule")
        verbose_name_plural = _("word rules")

    def __str__(self) -> str:
        return f"{self.phrase} ({self.get_kind_display()})"


class AuthorSanction(models.Model):
    """A suspension (for a while) or a ban (for good, or until a date) of an account's comments."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_sanctions", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=ReasonCode.choices)
    note = BoundedTextField(_("explanation for the author"), blank=True, max_length=NOTE)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: without end."))
    lifted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "lifted_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="sanction_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(kind="ban") | Q(ends_at__isnull=False), name="suspension_has_an_end"),
        ]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)
