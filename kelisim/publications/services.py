"""Every write on articles and reactions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.core.services import replace_relations
from kelisim.core.workflow import record_history, transition
from kelisim.publications.markup import render_markdown
from kelisim.publications.models import Article, Reaction

# Addresses the news section uses for itself.
RESERVED_SLUGS = {"manage", "feed", "sitemap.xml"}
ARTICLE_FIELDS = {
    "language", "slug", "title", "lead", "body", "cover_image", "cover_alt", "cover_caption", "byline",
    "strand", "comments_enabled",
}  # fmt: skip


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:80].strip("-") or "article"
    if base in RESERVED_SLUGS:
        base = f"{base}-article"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check(article: Article) -> None:
    if article.cover_image and not article.cover_alt.strip():
        raise ValidationError({"cover_alt": _("Describe the image for people who cannot see it.")})
    article.full_clean(exclude=["translation_group", "created_by"])


@transaction.atomic
def create_article(
    *, actor, language: str, title: str, lead: str, body: str, tags=(), organisations=(), meetings=(),
    plan_items=(), translation_of: Article | None = None, reason: str = "", **fields,
) -> Article:  # fmt: skip
    """A new draft; ``translation_of`` links it to the same story in another language."""
    require_officer(actor)
    unknown = set(fields) - ARTICLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown article fields: {sorted(unknown)}")
    article = Article(language=language, title=title, lead=lead, body=body, created_by=actor, **fields)
    if translation_of is not None:
        if Article.objects.filter(translation_group=translation_of.translation_group, language=language).exists():
            raise ValidationError({"language": _("This story already has a version in this language.")})
        article.translation_group = translation_of.translation_group
    if not article.slug:
        article.slug = unique_slug(title)
    article.body_html = render_markdown(body)
    _check(article)
    record_history(article, actor=actor, reason=reason or "created")
    article.save()
    article.tags.set(tags)
    article.organisations.set(organisations)
    article.meetings.set(meetings)
    article.plan_items.set(plan_items)
    return article


@transaction.atomic
def update_article(
    *,
    actor,
    article: Article,
    tags=None,
    organisations=None,
    meetings=None,
    plan_items=None,
    reason: str = "",
    **fields,
) -> Article:
    require_officer(actor)
    unknown = set(fields) - ARTICLE_FIELDS
    if unknown:
        raise TypeError(f"Unknown article fields: {sorted(unknown)}")
    article = Article.objects.select_for_update().get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value)
    if "language" in fields and (
        Article.objects.filter(translation_group=article.translation_group, language=article.language)
        .exclude(pk=article.pk)
        .exists()
    ):
        raise ValidationError({"language": _("This story already has a version in this language.")})
    article.body_html = render_markdown(article.body)
    _check(article)
    record_history(article, actor=actor, reason=reason or "edited")
    article.save()
    replace_relations(article, tags=tags, organisations=organisations, meetings=meetings, plan_items=plan_items)
    return article


@transaction.atomic
def transition_article(*, actor, article: Article, to: str, publish_at=None, reason: str = "") -> Article:
    """Move an article along its workflow (``Article.WORKFLOW``); scheduling needs ``publish_at``."""
    require_officer(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    now = timezone.now()
    if to == Article.Status.SCHEDULED and Article.WORKFLOW.can_move(article, to):
        if publish_at is None or publish_at <= now:
            raise ValidationError({"publish_at": _("Choose a publication time in the future.")})
        article.published_at = publish_at
    previous = transition(article, to=to, actor=actor, reason=reason)
    if to == Article.Status.PUBLISHED:
        # Publishing now; an archived article comes back with its original date.
        if previous != Article.Status.ARCHIVED or article.published_at is None or article.published_at > now:
            article.published_at = now
        article.archived_at = None
    elif to == Article.Status.ARCHIVED:
        article.archived_at = now
    elif to == Article.Status.DRAFT:
        article.published_at = None
    article.save()
    return article


@transaction.atomic
def publish_due_articles() -> int:
    """Scheduled articles whose time has come become published (they are already shown)."""
    due = list(
        Article.objects.select_for_update().filter(status=Article.Status.SCHEDULED, published_at__lte=timezone.now())
    )
    for article in due:
        transition(article, to=Article.Status.PUBLISHED, actor=None, reason="published at the scheduled time")
        article.save()
    return len(due)


def react(*, article: Article, value: str, user=None, browser: str = "") -> Reaction:
    """Record or change one answer to "Do you like this article?". The unique constraints make a
    second row for the same account or browser impossible, even for simultaneous requests: the
    loser of a race finds the winner's row and updates it."""
    if value not in Reaction.Value.values:
        raise ValidationError(_("Answer yes or no."))
    if not article.is_public:
        raise PermissionDenied(_("This article is not published."))
    user = user if user is not None and user.is_authenticated else None
    if user is None and not browser:
        raise ValueError("A visitor's reaction needs the browser token hash.")
    who = {"user": user} if user else {"user": None, "browser": browser}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                reaction, created = Reaction.objects.get_or_create(article=article, **who, defaults={"value": value})
                if not created and reaction.value != value:
                    reaction.value = value
                    reaction.save(update_fields=["value", "updated_at"])
                return reaction
        except IntegrityError:
            continue  # another request created it first: go round once more and update it
    raise IntegrityError("reaction could not be recorded")
