"""Writes that belong to no single domain: the email outbox; replacing the many-to-many relations that a form
or an API call gives."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy

from kelisim.core.models import OutboxEmail


def queue_email(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    topic: str = "",
    reply_to: str = "",
    in_reply_to: str = "",
) -> OutboxEmail:
    """Store a message in the outbox and ask a worker to send it once the transaction commits.

    Call it inside the transaction of the change that causes the message: if that change rolls
    back, the message disappears with it; if it commits, the message is on disk before anyone
    tries to send it.
    """
    from kelisim.core.tasks import deliver_email

    message = OutboxEmail.objects.create(
        to=to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        topic=topic,
        reply_to=reply_to,
        in_reply_to=in_reply_to,
    )
    transaction.on_commit(lambda: deliver_email.enqueue(message.pk))
    return message


def queue_templated_email(
    *, to: str, template: str, context: dict, language: str, topic: str = "", **headers: str
) -> OutboxEmail:
    """Render ``<template>_subject.txt``, ``_body.txt`` and (if present) ``_body.html`` in ``language``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}_body.txt", context)
        try:
            body_html = render_to_string(f"{template}_body.html", context)
        except Exception:
            body_html = ""
    return queue_email(to=to, subject=subject, body_text=body_text, body_html=body_html, topic=topic, **headers)


def _absolute(build: Callable[[], str]) -> str:
    return settings.SITE_URL + build()


_lazy_absolute = lazy(_absolute, str)


def email_link(build: Callable[[], str]) -> str:
    """An absolute address for an email, worked out when the email is rendered, that is inside
    ``queue_templated_email``'s switch to the recipient's language: the link opens the page in the
    language the message is written in, not in the language of whoever caused it."""
    return _lazy_absolute(build)


def email_url(viewname: str, *args) -> str:
    """``email_link`` for a named URL."""
    return email_link(lambda: reverse(viewname, args=args))


def replace_relations(obj, **relations) -> None:
    """Replace each many-to-many relation of ``obj`` that is given (``tags=[...]``); None leaves one unchanged."""
    for name, related in relations.items():
        if related is not None:
            getattr(obj, name).set(related)
