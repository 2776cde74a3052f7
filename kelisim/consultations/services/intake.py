"""Suggestions by email: one message from the intake mailbox becomes a suggestion, an addition to one, an
ignored automatic message, or a row on the officers' "needs attention" page, each with its reason.

``receive_email`` runs in one transaction and records the message under its unique key first, so a message
read again (the worker died between the commit and the move to a folder, or two schedulers ran at once) is
recognised and never becomes a second suggestion. ``consultations.mailbox`` reads the mailbox and moves each
message to the folder its outcome names.
"""

import logging
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.consultations import inbound
from kelisim.consultations.models import (
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    Channel,
    DocumentVersion,
    EmailAttachment,
    InboundEmail,
    Suggestion,
    new_token,
)
from kelisim.consultations.services.suggestions import _next_reference, _save_new
from kelisim.consultations.validation import clean_title
from kelisim.core import files
from kelisim.core.services import email_url, queue_templated_email
from kelisim.core.text import normalise_text

logger = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome
REFERENCE = re.compile(r"\b(\d{4}-\d{5})\b")
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|отв|ответ|пересл)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def existing(key: str) -> InboundEmail | None:
    return InboundEmail.objects.filter(message_key=key).first()


def receive_email(*, key: str, size: int, raw: bytes | None = None, refusal: str = "") -> InboundEmail:
    """Record the message ``raw`` (or, when it was not fetched, why: ``refusal``) once under ``key``.

    Returns the row, new or already there. Never raises for what is in the message; a database error
    propagates (the message then stays in the inbox and is read again)."""
    found = existing(key)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            email = _receive(key=key, size=size, raw=raw, refusal=refusal)
    except IntegrityError:
        # Another run recorded the same message between our look-up and our insert.
        found = existing(key)
        if found is None:
            raise
        return found
    log = logger.warning if email.outcome == Outcome.ATTENTION else logger.info
    log("Intake message %s: %s%s", key[:80], email.outcome, f" ({email.reason})" if email.reason else "")
    return email


def record_failure(*, key: str, size: int, reason: str) -> InboundEmail:
    """Keep a message whose processing raised (a bug, not bad input) on the attention page."""
    with transaction.atomic():
        email, _created = InboundEmail.objects.get_or_create(
            message_key=key, defaults={"outcome": Outcome.ATTENTION, "size": size, "reason": reason[:500]}
        )
    return email


def _receive(*, key: str, size: int, raw: bytes | None, refusal: str) -> InboundEmail:
    email = InboundEmail.objects.create(message_key=key, size=size, outcome=Outcome.ATTENTION)
    if refusal:
        return _finish(email, Outcome.ATTENTION, refusal)
    try:
        parsed = inbound.parse(raw or b"")
    except Exception as error:
        return _finish(
            email,
            Outcome.ATTENTION,
            _("The message cannot be read as an email: %(error)s") % {"error": str(error)[:200]},
        )
    email.message_id = parsed.message_id[:998]
    email.sender = parsed.sender
    email.subject = parsed.subject[:300]
    email.text = parsed.text[: InboundEmail._meta.get_field("text").max_length]
    notes = "; ".join(parsed.notes)
    if parsed.automatic:
        return _finish(email, Outcome.IGNORED, parsed.automatic)
    thread = _thread(parsed)
    if thread is not None:
        return _add_to(email, thread, parsed, notes)
    version = _version_for(parsed.recipients)
    if version is None:
        return _finish(
            email,
            Outcome.ATTENTION,
            _("No consultation has the address this was sent to (%(addresses)s).")
            % {"addresses": ", ".join(parsed.recipients)[:300] or "—"},
        )
    email.version = version
    if not version.is_open():
        return _finish(email, Outcome.ATTENTION, _("The consultation at this address is not open."))
    text = normalise_text(parsed.text).strip()
    if len(text) < TEXT_MIN_LENGTH:
        return _finish(
            email,
            Outcome.ATTENTION,
            _("The message has no text to make a suggestion from (%(count)d characters).") % {"count": len(text)},
        )
    return _new_suggestion(email, version, parsed, text, notes)


def _finish(email: InboundEmail, outcome: str, reason: str) -> InboundEmail:
    email.outcome, email.reason = outcome, reason[:500]
    email.save()
    return email


def _thread(parsed: inbound.ParsedEmail) -> Suggestion | None:
    """The suggestion a reply belongs to: one whose acknowledgement (or first message) it answers, or whose
    reference it names in the subject when it comes from the same address."""
    if parsed.references:
        earlier = (
            InboundEmail.objects.filter(
                Q(acknowledgement_id__in=parsed.references) | Q(message_id__in=parsed.references),
                suggestion__isnull=False,
            )
            .select_related("suggestion")
            .first()
        )
        if earlier is not None:
            return earlier.suggestion
    named = REFERENCE.search(parsed.subject)
    if named and parsed.sender:
        return Suggestion.objects.filter(
            reference=named.group(1), contact_email=parsed.sender, channel=Channel.EMAIL
        ).first()
    return None


def _version_for(recipients: list[str]) -> DocumentVersion | None:
    if not recipients:
        return None
    versions = list(
        DocumentVersion.objects.select_related("document__programme")
        .filter(intake_address__in=recipients)
        .order_by("-opens_at", "-pk")
    )
    return next((version for version in versions if version.is_open()), versions[0] if versions else None)


def _add_to(email: InboundEmail, suggestion: Suggestion, parsed: inbound.ParsedEmail, notes: str) -> InboundEmail:
    email.suggestion, email.version_id = suggestion, suggestion.version_id
    email.text = inbound.without_quotes(parsed.text)[: InboundEmail._meta.get_field("text").max_length]
    refused = _keep_attachments(email, suggestion, parsed)
    reason = _("Added to %(reference)s.") % {"reference": suggestion.reference}
    if not email.text and not parsed.attachments:
        reason = _("A reply to %(reference)s with nothing new in it.") % {"reference": suggestion.reference}
    return _finish(email, Outcome.ADDITION, " ".join(filter(None, [reason, refused, notes])))


def _new_suggestion(
    email: InboundEmail, version: DocumentVersion, parsed: inbound.ParsedEmail, text: str, notes: str
) -> InboundEmail:
    reasons = []
    if len(text) > TEXT_MAX_LENGTH:
        # The suggestion keeps the limit every channel has; the whole text stays with the email for officers.
        text = text[: TEXT_MAX_LENGTH - 1].rstrip() + "…"
        reasons.append(
            _("The text was longer than %(max)d characters: the whole text is kept with the email.")
            % {"max": TEXT_MAX_LENGTH}
        )
    suggestion = Suggestion(
        reference=_next_reference(str(version.document.programme.period_start)),
        version=version,
        title=clean_title(REPLY_PREFIX.sub("", parsed.subject)),
        text=text,
        channel=Channel.EMAIL,
        received_on=timezone.localdate(),
        contact_email=parsed.sender,
        contact_token=new_token() if parsed.sender else "",
    )
    _save_new(suggestion, language="", actor=None, reason="received: email", ask_to_confirm=False)
    email.suggestion = suggestion
    reasons.append(_keep_attachments(email, suggestion, parsed))
    if parsed.sender:
        email.acknowledgement_id = _acknowledge(suggestion, parsed, reply_to=version.intake_address).message_id
    else:
        reasons.append(_("The sender's address is missing or invalid: no acknowledgement was sent."))
    return _finish(email, Outcome.SUGGESTION, " ".join(filter(None, [*reasons, notes])))


def _keep_attachments(email: InboundEmail, suggestion: Suggestion, parsed: inbound.ParsedEmail) -> str:
    """Store each attachment the upload policy accepts; name the refused ones. Returns a note on the refused."""
    email.save()
    refused = []
    for attachment in parsed.attachments:
        row = EmailAttachment(email=email, suggestion=suggestion, original_name=attachment.name)
        upload = ContentFile(attachment.content, name=attachment.name)
        if attachment.too_many:
            row.refused_reason = _("Only %(count)d attachments are kept from one email.") % {
                "count": inbound.MAX_ATTACHMENTS
            }
        else:
            try:
                row.content_type = files.DOCUMENTS.check(upload, name=attachment.name)
            except ValidationError as error:
                row.refused_reason = " ".join(error.messages)[:500]
            else:
                row.size = len(attachment.content)
                row.file.save(attachment.name, upload, save=False)
        row.save()
        if row.refused_reason:
            refused.append(row)
            logger.warning("Intake attachment %r refused: %s", attachment.name, row.refused_reason)
    if not refused:
        return ""
    return _("Attachments refused: %(names)s.") % {"names": ", ".join(row.original_name for row in refused)}


def _acknowledge(suggestion: Suggestion, parsed: inbound.ParsedEmail, *, reply_to: str):
    return queue_templated_email(
        to=parsed.sender,
        template="consultations/email/intake_ack",
        context={
            "suggestion": suggestion,
            "follow_url": email_url("consultations:follow", suggestion.follow_token),
            "confirm_url": email_url("consultations:confirm_email", suggestion.contact_token),
        },
        language=suggestion.language,
        topic="consultations.intake_ack",
        reply_to=reply_to,
        in_reply_to=parsed.message_id,
    )


@transaction.atomic
def resolve_inbound_email(*, actor, email: InboundEmail) -> InboundEmail:
    """An officer has dealt with a message that needed attention (recorded it by hand, or found it is not a
    suggestion); it leaves the list, the row stays."""
    require_officer(actor)
    if email.resolved_at is None:
        email.resolved_at, email.resolved_by = timezone.now(), actor
        email.save(update_fields=["resolved_at", "resolved_by"])
    return email
