"""Writes that belong to no single domain: the email outbox."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from kelisim.core.models import OutboxEmail


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    topic: str = "",
) -> OutboxEmail:
    """Store a message in the outbox and ask a worker to send it once the transaction commits.

    Call it inside the transaction of the change that causes the message: if that change rolls
    back, the message disappears with it; if it commits, the message is on disk before anyone
    tries to send it.
    """
    from kelisim.core.tasks import deliver_email

    message = OutboxEmail.objects.create(
        to=to, subject=subject[:255], body_text=body_text, body_html=body_html, topic=topic
    )
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


def queue_templated_email(*, to: str, template: str, context: dict, language: str, topic: str = "") -> OutboxEmail:
    """Render ``<template>_subject.txt``, ``_body.txt`` and (if present) ``_body.html`` in ``language``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}_body.txt", context)
        try:
            body_html = render_to_string(f"{template}_body.html", context)
        except Exception:
            body_html = ""
    return queue_email(to=to, subject=subject, body_text=body_text, body_html=body_html, topic=topic)
