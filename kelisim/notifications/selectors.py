from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kelisim.notifications.models import Follow, Notification

INBOX_PAGE_SIZE = 30


def unread_count(user) -> int:
    if not user or not user.is_authenticated:
        return 0
    # Read with the session's account (unread_count_of_account) on every signed-in page.
    cached = getattr(user, "unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user.unread_notifications = cached
    return cached


def unread_count_of_account():
    """The unread count as an expression on the user's row, read with the signed-in user (core registry)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread), 0)


def inbox(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def is_following(user, target) -> bool:
    if not user or not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=target.pk).exists()


def follows_of(user):
    return Follow.objects.filter(user=user).select_related("content_type").order_by("-created_at")
