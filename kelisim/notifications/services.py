"""Every write of notifications: notify, follow, preferences, read marks and the daily digest.

``notify`` is called by the domain apps inside their own transaction: the notification row and, for a person who
chose "at once", the email (through the outbox) are written with the change that causes them, or not at all.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_signed_in
from kelisim.core.i18n import ContentLanguage
from kelisim.core.services import queue_templated_email
from kelisim.notifications import registry
from kelisim.notifications.models import Digest, EmailChoice, Follow, Notification, Preference


def _language(user) -> str:
    language = (getattr(user, "preferred_language", "") or "")[:2]
    return language if language in ContentLanguage.values else "ru"


def email_choice(user) -> str:
    preference = Preference.objects.filter(user=user).values_list("email", flat=True).first()
    return preference or EmailChoice.IMMEDIATELY


@transaction.atomic
def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: dict,
    url: str = "",
    exclude: Iterable = (),
    own_email: Callable[[object], object] | None = None,
    email: bool = True,
) -> list[Notification]:
    """One notification to each recipient (accounts; None and duplicates skipped), mailed as each of them chose.

    "At once": the app's own detailed email when it gives ``own_email(person)`` (an answer with its text, a
    determination with its reasons), else the notification's sentence and link. "Daily": in that day's digest.
    "Off": only in the inbox. ``email=False``: only in the inbox whatever the choice (the person turned off
    email for this very thing, e.g. replies to one comment).
    """
    excluded = {getattr(person, "pk", person) for person in exclude}
    people = {}
    for person in recipients:
        if person is not None and person.pk not in excluded and person.is_active:
            people[person.pk] = person
    if not people:
        return []
    choices = dict(Preference.objects.filter(user_id__in=people).values_list("user_id", "email"))
    now = timezone.now()
    created = []
    for person in people.values():
        immediately = email and choices.get(person.pk, EmailChoice.IMMEDIATELY) == EmailChoice.IMMEDIATELY
        immediately = immediately and bool(person.email)
        notification = Notification.objects.create(
            recipient=person, kind=kind, params=params, url=url, emailed_at=now if (immediately or not email) else None
        )
        if immediately:
            if own_email is not None:
                own_email(person)
            else:
                _mail_one(person, notification)
        created.append(notification)
    return created


def _mail_one(person, notification: Notification) -> None:
    language = _language(person)
    queue_templated_email(
        to=person.email,
        template="notifications/email/one",
        context={"notification": notification, "person": person, "language": language, "site_url": _site_url()},
        language=language,
        topic=f"notifications.{notification.kind}",
    )


def _site_url() -> str:
    from django.conf import settings

    return settings.SITE_URL


def followers(target) -> list:
    content_type = ContentType.objects.get_for_model(target)
    return [
        follow.user
        for follow in Follow.objects.filter(content_type=content_type, object_id=target.pk).select_related("user")
    ]


def notify_followers(*, target, kind: str, params: dict, url: str = "", exclude: Iterable = ()) -> list[Notification]:
    """Tell everyone who follows ``target`` of a change to it."""
    return notify(recipients=followers(target), kind=kind, params=params, url=url, exclude=exclude)


def follow(*, actor, target) -> Follow:
    require_signed_in(actor)
    label = target._meta.label_lower
    spec = registry.followable(label)
    if spec is None or not spec.is_public(target):
        raise ValidationError(_("This cannot be followed."), code="not_followable")
    content_type = ContentType.objects.get_for_model(target)
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(user=actor, content_type=content_type, object_id=target.pk)[0]
    except IntegrityError:  # two clicks at once: the other one made it
        return Follow.objects.get(user=actor, content_type=content_type, object_id=target.pk)


def unfollow(*, actor, target) -> None:
    require_signed_in(actor)
    content_type = ContentType.objects.get_for_model(target)
    Follow.objects.filter(user=actor, content_type=content_type, object_id=target.pk).delete()


def set_email_choice(*, actor, choice: str) -> Preference:
    require_signed_in(actor)
    if choice not in EmailChoice.values:
        raise ValidationError({"email": _("Choose how to hear of notifications by email.")}, code="invalid")
    preference, _created = Preference.objects.update_or_create(user=actor, defaults={"email": choice})
    return preference


def mark_read(*, actor, notification: Notification) -> None:
    require_signed_in(actor)
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This notification is not yours."), code="not_yours")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, actor) -> int:
    require_signed_in(actor)
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- Daily digest ----------------------------------------------------------------------------------------


def digest_day(now: datetime | None = None):
    """The day a digest sent now covers: yesterday and before, in Astana time (sent from midnight)."""
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)


def send_daily_digests(now: datetime | None = None) -> int:
    """One digest email per person who chose it and has unmailed notifications from before today; safe to run twice.

    The ``Digest`` row (unique per person and day) is the claim: it is created, its notifications attached and its
    email queued in one transaction, so a second run, on this worker or another, finds the row and sends nothing.
    """
    now = now or timezone.now()
    day = digest_day(now)
    cutoff = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    waiting = (
        Notification.objects.filter(
            recipient__notification_preference__email=EmailChoice.DAILY,
            emailed_at__isnull=True,
            digest__isnull=True,
            created_at__lt=cutoff,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(waiting):
        if _send_digest(user_id, day, cutoff):
            sent += 1
    return sent


def _send_digest(user_id: int, day, cutoff) -> bool:
    from kelisim.accounts.models import User

    try:
        with transaction.atomic():
            digest, created = Digest.objects.get_or_create(user_id=user_id, day=day)
            if not created:
                return False
            pending = Notification.objects.filter(
                recipient_id=user_id, emailed_at__isnull=True, digest__isnull=True, created_at__lt=cutoff
            )
            ids = list(pending.values_list("pk", flat=True))
            if not ids:
                return False
            now = timezone.now()
            Notification.objects.filter(pk__in=ids).update(digest=digest, emailed_at=now)
            digest.notification_count = len(ids)
            digest.save(update_fields=["notification_count"])
            person = User.objects.get(pk=user_id)
            items = list(Notification.objects.filter(pk__in=ids).order_by("created_at", "pk"))
            if person.email and person.is_active:
                language = _language(person)
                queue_templated_email(
                    to=person.email,
                    template="notifications/email/digest",
                    context={
                        "items": items,
                        "person": person,
                        "day": day,
                        "site_url": _site_url(),
                        "language": language,
                    },
                    language=language,
                    topic="notifications.digest",
                )
            return True
    except IntegrityError:  # another worker made the same day's digest first
        return False
