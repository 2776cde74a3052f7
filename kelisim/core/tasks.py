import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from kelisim.core.models import OutboxEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A claim older than this belongs to a worker that died mid-send (the SMTP timeout is far shorter).
CLAIM_LEASE = timedelta(seconds=max(30, 4 * getattr(settings, "EMAIL_TIMEOUT", 15)))
EMAIL_QUEUE = "email"


def retry_delay(attempts: int) -> timedelta:
    """How long a message that failed ``attempts`` times waits: 1, 2, 4, 8 minutes, so a dead mail server
    is tried for a quarter of an hour before the message is given up (and shown as failed in the admin)."""
    return timedelta(minutes=2 ** max(0, attempts - 1)) if attempts else timedelta(0)


def _claimable(now):
    waiting = Q(status=OutboxEmail.Status.PENDING) | Q(status=OutboxEmail.Status.FAILED, claimed_at__isnull=True)
    for attempts in range(MAX_ATTEMPTS):
        waiting |= Q(status=OutboxEmail.Status.FAILED, attempts=attempts, claimed_at__lt=now - retry_delay(attempts))
    abandoned = Q(status=OutboxEmail.Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    return OutboxEmail.objects.filter(waiting | abandoned, attempts__lt=MAX_ATTEMPTS)


@task(queue_name=EMAIL_QUEUE)
def deliver_email(outbox_id: int) -> str:
    """Send one outbox message at most once at a time: the claim is a conditional update with a lease.

    If the worker dies after claiming, the lease runs out and ``flush_outbox`` hands the message to another
    worker; it goes out with the same Message-ID, so a receiving server that did get the first copy can
    recognise the second. Running this twice for a message already sent does nothing.
    """
    now = timezone.now()
    claimed = (
        _claimable(now)
        .filter(pk=outbox_id)
        .update(status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    )
    if not claimed:
        return "skipped"
    message = OutboxEmail.objects.get(pk=outbox_id)
    headers = {"Message-ID": message.message_id}
    if message.in_reply_to:
        headers["In-Reply-To"] = headers["References"] = message.in_reply_to
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:
        logger.warning("Email %s failed (attempt %s): %s", outbox_id, message.attempts, error)
        OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.FAILED, last_error=str(error)[:2000]
        )
        return "failed"
    OutboxEmail.objects.filter(pk=outbox_id).update(status=OutboxEmail.Status.SENT, sent_at=timezone.now())
    return "sent"


@task()
def flush_outbox() -> int:
    """Re-queue messages still pending, failed (a worker was down, SMTP refused) or abandoned mid-send."""
    ids = list(_claimable(timezone.now()).values_list("pk", flat=True))
    for outbox_id in ids:
        deliver_email.enqueue(outbox_id)
    return len(ids)
