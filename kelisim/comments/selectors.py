"""Reads. A thread page costs the same few queries whatever the number of comments: one page of
top-level comments, the first replies of each in one windowed query, and a count."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from kelisim.comments.models import AuthorSanction, Comment
from kelisim.comments.registry import commentable_for

THREAD_PAGE_SIZE = 20
REPLIES_SHOWN = 3
REPLIES_PAGE_SIZE = 20
QUEUE_PAGE_SIZE = 50


def _visible_replies():
    return Comment.objects.filter(status=Comment.Status.APPROVED).select_related("author").order_by("created_at", "pk")


def _top_level(target):
    """Top-level comments (newest first), each with its first replies prefetched.

    A deleted comment stays as a placeholder while it has published replies."""
    content_type = ContentType.objects.get_for_model(target)
    return (
        Comment.objects.filter(content_type=content_type, object_id=target.pk, parent__isnull=True)
        .filter(Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.DELETED, reply_count__gt=0))
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=_visible_replies()[:REPLIES_SHOWN], to_attr="first_replies"))
        .order_by("-created_at", "-pk")
    )


def thread_page(target, *, page_number=1, page_size: int = THREAD_PAGE_SIZE):
    """One page of top-level comments with the pager's total (the "older comments" pages)."""
    return Paginator(_top_level(target), page_size).get_page(page_number)


@dataclass
class FirstPage:
    """The first page shown under the host: whether older comments exist is known from one extra row, so the
    host's page does not count its top-level comments (a COUNT over thousands on every first view, issue 13)."""

    object_list: list
    more: bool
    number: int = 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return 2


def first_thread_page(target, *, page_size: int = THREAD_PAGE_SIZE) -> FirstPage:
    comments = list(_top_level(target)[: page_size + 1])
    return FirstPage(comments[:page_size], len(comments) > page_size)


def replies_page(parent: Comment, *, page_number=1, page_size: int = REPLIES_PAGE_SIZE):
    return Paginator(_visible_replies().filter(parent=parent), page_size).get_page(page_number)


def published_count(target) -> int:
    """How many comments on a target are published (replies included): the host's counter where it keeps one."""
    spec = commentable_for(target)
    if spec.counter_field:
        return getattr(target, spec.counter_field)
    return published_comments(target).count()


def published_comments(target):
    """Every published comment on a target, oldest first (API)."""
    content_type = ContentType.objects.get_for_model(target)
    return (
        Comment.objects.filter(content_type=content_type, object_id=target.pk, status=Comment.Status.APPROVED)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def moderation_queue(*, status: str = "", reason: str = "", language: str = "", target_type: str = "", q: str = ""):
    comments = Comment.objects.select_related("author", "content_type", "parent", "moderated_by")
    if status == "unreviewed":
        comments = comments.filter(status=Comment.Status.APPROVED, moderated_by__isnull=True)
    elif status:
        comments = comments.filter(status=status)
    else:
        comments = comments.filter(status__in=[Comment.Status.PENDING, Comment.Status.HIDDEN])
    if reason:
        comments = comments.filter(reason_code=reason)
    if language:
        comments = comments.filter(language=language)
    if target_type:
        app_label, _, model = target_type.partition(".")
        comments = comments.filter(content_type__app_label=app_label, content_type__model=model)
    if q:
        comments = comments.filter(Q(text__icontains=q) | Q(author_name__icontains=q) | Q(author__email__icontains=q))
    return comments.order_by("created_at", "pk")


def queue_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = Comment.objects.filter(status__in=[Comment.Status.PENDING, Comment.Status.HIDDEN]).values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def active_sanctions_for(user):
    from django.utils import timezone

    now = timezone.now()
    return AuthorSanction.objects.filter(user=user, lifted_at__isnull=True, starts_at__lte=now).exclude(
        ends_at__lte=now
    )


def comment_history(comment: Comment):
    return comment.history.select_related("history_user").order_by("-history_date")


def attach_targets(comments) -> None:
    """Give each comment in a list its host's title and address: one query per kind of host."""
    from kelisim.comments.registry import commentable_for_key

    by_type: dict[int, list[Comment]] = {}
    for comment in comments:
        by_type.setdefault(comment.content_type_id, []).append(comment)
    for content_type_id, group in by_type.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        spec = commentable_for_key(f"{content_type.app_label}.{content_type.model}")
        if spec is None:
            continue
        hosts = spec.model._default_manager.in_bulk({c.object_id for c in group})
        for comment in group:
            host = hosts.get(comment.object_id)
            comment.target_title = spec.title(host) if host else ""
            comment.target_url = spec.url(host) if host else ""


OWN_COMMENTS_SHOWN = 20


def own_comments(user) -> list[Comment]:
    """The author's latest comments in every state, with where they were written."""
    comments = list(Comment.objects.filter(author=user).order_by("-created_at", "-pk")[:OWN_COMMENTS_SHOWN])
    attach_targets(comments)
    return comments
