"""News articles (S8, S9): one row per language, translations linked by a shared group; tags,
strand and organisations; an explicit publication workflow; reactions "Do you like this article?".

An article links to the roundtables it reports on (meetings) and to the action plan items it is
about (plans; the item across all plan versions, so that the link survives a new version).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kelisim.core import files
from kelisim.core.fields import DOCUMENT, BoundedTextField
from kelisim.core.i18n import ContentLanguage, Localized
from kelisim.core.models import Strand
from kelisim.core.workflow import Workflow


class Tag(models.Model):
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=80)
    name_ru = models.CharField(_("name (Russian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)

    name = Localized("name")

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def public(self):
        """Published, and scheduled ones whose time has come (before the task flips their status)."""
        return self.filter(
            status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED], published_at__lte=timezone.now()
        )

    def readable(self):
        """What a link may open: public articles and archived ones."""
        return self.filter(
            Q(status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED], published_at__lte=timezone.now())
            | Q(status=Article.Status.ARCHIVED)
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    # The only moves the workflow allows; services.transition_article refuses anything else.
    WORKFLOW = Workflow(
        {
            Status.DRAFT: {Status.SCHEDULED, Status.PUBLISHED},
            Status.SCHEDULED: {Status.DRAFT, Status.PUBLISHED},
            Status.PUBLISHED: {Status.ARCHIVED},
            Status.ARCHIVED: {Status.PUBLISHED},
        }
    )

    language = models.CharField(_("language"), max_length=2, choices=ContentLanguage.choices)
    translation_group = models.UUIDField(_("translation group"), default=uuid.uuid4, db_index=True, editable=False)
    slug = models.SlugField(_("address"), max_length=100, unique=True, allow_unicode=True)
    title = models.CharField(_("title"), max_length=200)
    lead = BoundedTextField(_("lead"), max_length=600, help_text=_("One or two sentences shown in lists and feeds."))
    body = BoundedTextField(
        _("text"), max_length=DOCUMENT, help_text=_("Markdown: paragraphs, **bold**, *italic*, lists, links, quotes.")
    )
    body_html = models.TextField(editable=False, blank=True)
    cover_image = models.FileField(_("cover image"), blank=True, **files.COVER_IMAGE.field_options())
    cover_alt = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    cover_caption = models.CharField(_("caption"), max_length=300, blank=True)
    byline = models.CharField(_("author"), max_length=150, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    strand = models.ForeignKey(
        Strand, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles", verbose_name=_("strand")
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation", blank=True, related_name="articles", verbose_name=_("organisations")
    )
    meetings = models.ManyToManyField(
        "meetings.Roundtable", blank=True, related_name="articles", verbose_name=_("roundtables")
    )
    plan_items = models.ManyToManyField(
        "plans.TrackedItem", blank=True, related_name="articles", verbose_name=_("action plan items")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True, db_index=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    comments_enabled = models.BooleanField(_("comments open"), default=True)
    comment_count = models.PositiveIntegerField(_("published comments"), default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["comment_count", "updated_at", "body_html"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["language", "status", "-published_at"], name="article_public_list")]
        constraints = [
            models.UniqueConstraint(fields=["translation_group", "language"], name="one_translation_per_language"),
            models.CheckConstraint(condition=Q(cover_image="") | ~Q(cover_alt=""), name="cover_image_has_alt_text"),
            models.CheckConstraint(
                condition=Q(status__in=["draft"]) | Q(published_at__isnull=False), name="published_article_has_time"
            ),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # An article's address is under its own language's prefix.
        with translation.override(self.language):
            return reverse("publications:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_readable(self) -> bool:
        """Public, or archived: an archived article keeps its address but leaves lists and feeds."""
        return self.is_public or (self.status == self.Status.ARCHIVED and self.published_at is not None)

    @property
    def comments_open(self) -> bool:
        return self.is_public and self.comments_enabled and self.status != self.Status.ARCHIVED


class Reaction(models.Model):
    """ "Do you like this article?": one answer per account, or per browser for visitors; changeable."""

    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reactions")
    value = models.CharField(max_length=3, choices=Value.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    # SHA-256 of the browser's random token (kelisim.comments.visitors); never an address.
    browser = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], condition=Q(user__isnull=False), name="one_reaction_per_account"
            ),
            models.UniqueConstraint(
                fields=["article", "browser"], condition=~Q(browser=""), name="one_reaction_per_browser"
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(browser="")) | (Q(user__isnull=True) & ~Q(browser="")),
                name="reaction_from_account_or_browser",
            ),
        ]
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.value}"
