from django.contrib.contenttypes.models import ContentType

from kelisim.notifications.models import Follow, Notification

INBOX_PAGE_SIZE = 30


def unread_count(user) -> int:
    if not user or not user.is_authenticated:
        return 0
    cached = getattr(user, "_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._unread_notifications = cached
    return cached


def inbox(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def is_following(user, target) -> bool:
    if not user or not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=target.pk).exists()


def follows_of(user):
    return Follow.objects.filter(user=user).select_related("content_type").order_by("-created_at")
