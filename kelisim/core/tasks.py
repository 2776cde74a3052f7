import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from kelisim.core.models import OutboxEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@task()
def deliver_email(outbox_id: int) -> str:
    """Send one outbox message. Claiming it is a conditional update, so it is sent at most once."""
    claimed = OutboxEmail.objects.filter(
        pk=outbox_id, status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.FAILED]
    ).update(status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    message = OutboxEmail.objects.get(pk=outbox_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:
        logger.warning("Email %s failed: %s", outbox_id, error)
        OutboxEmail.objects.filter(pk=outbox_id).update(status=OutboxEmail.Status.FAILED, last_error=str(error))
        return "failed"
    OutboxEmail.objects.filter(pk=outbox_id).update(status=OutboxEmail.Status.SENT, sent_at=timezone.now())
    return "sent"


@task()
def flush_outbox() -> int:
    """Re-queue messages that are still pending or failed (a worker was down, SMTP refused)."""
    ids = list(
        OutboxEmail.objects.filter(
            status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.FAILED], attempts__lt=MAX_ATTEMPTS
        ).values_list("pk", flat=True)
    )
    for outbox_id in ids:
        deliver_email.enqueue(outbox_id)
    return len(ids)
