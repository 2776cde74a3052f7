"""Sending a suggestion, confirming the address for its answer, and supporting it."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import is_signed_in, require_officer
from kelisim.consultations import ratelimit, validation
from kelisim.consultations.models import (
    RECORDED_CHANNELS,
    DocumentVersion,
    Paragraph,
    ReferenceCounter,
    Section,
    Status,
    StatusChange,
    Suggestion,
    Support,
    new_token,
)
from kelisim.consultations.text import detect_language
from kelisim.core import files
from kelisim.core.files import sniff_content_type
from kelisim.core.services import email_url, queue_templated_email
from kelisim.core.text import normalise_text
from kelisim.core.workflow import record_history


def _next_reference(prefix: str) -> str:
    """A gapless-enough, unique number under the prefix. The counter row is updated in place, which
    locks it until the transaction ends, so two writers never get the same number."""
    ReferenceCounter.objects.get_or_create(prefix=prefix)
    ReferenceCounter.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(prefix=prefix).last
    return f"{prefix}-{number:05d}"


def _check_open(version: DocumentVersion, *, signed: bool) -> None:
    if not version.is_open():
        raise PermissionDenied(_("This consultation is not open for suggestions."))
    if not signed and not version.allow_anonymous:
        raise PermissionDenied(_("Please sign in: this consultation accepts signed suggestions only."))


def _check_rate(author, *, signed: bool, address: str) -> None:
    """Signed authors are counted by their rows (20 a day); anonymous ones by a hash of their address."""
    if not signed:
        ratelimit.hit(ratelimit.ANONYMOUS_SUGGESTIONS, address)
        return
    limit = ratelimit.SIGNED_SUGGESTIONS
    sent_today = Suggestion.objects.filter(
        author=author, created_at__gte=timezone.now() - timedelta(seconds=limit.window_seconds)
    )
    if sent_today.count() >= limit.count:
        oldest = sent_today.order_by("created_at").values_list("created_at", flat=True).first()
        raise ratelimit.RateLimited(limit.window_seconds - (timezone.now() - oldest).total_seconds())


@transaction.atomic
def submit_suggestion(
    *,
    version: DocumentVersion,
    author,
    text: str,
    address: str,
    title: str = "",
    language: str = "",
    strand=None,
    region=None,
    section: Section | None = None,
    paragraph: Paragraph | None = None,
    contact_email: str = "",
) -> Suggestion:
    """Record a suggestion. ``author`` None means anonymous; ``address`` is only hashed for the rate limit.

    The fields are checked by ``validation.clean_suggestion`` (the form and the API ask the same)."""
    signed = is_signed_in(author)
    _check_open(version, signed=signed)
    fields = validation.clean_suggestion(
        text=text, title=title, language=language, contact_email="" if signed else contact_email
    )
    section = validation.check_target(version, section, paragraph)
    _check_rate(author, signed=signed, address=address)
    suggestion = Suggestion(
        reference=_next_reference(str(version.document.programme.period_start)),
        version=version,
        section=section,
        paragraph=paragraph,
        strand=strand,
        region=region,
        author=author if signed else None,
        contact_token=new_token() if fields["contact_email"] else "",
        **fields,
    )
    return _save_new(suggestion, language=language, actor=suggestion.author, reason="sent")


def _save_new(suggestion: Suggestion, *, language: str, actor, reason: str, ask_to_confirm: bool = True) -> Suggestion:
    """What every new suggestion goes through, whatever its channel: language, history, counters, the
    first status, the confirmation of its contact address and, after commit, the duplicate finder."""
    suggestion.language = language or detect_language(f"{suggestion.title} {suggestion.text}")
    record_history(suggestion, actor=actor, reason=reason)
    suggestion.save()
    _count(suggestion)
    StatusChange.objects.create(suggestion=suggestion, from_status="", to_status=Status.RECEIVED, actor=actor)
    if suggestion.contact_email and ask_to_confirm:
        _ask_to_confirm(suggestion)
    from kelisim.consultations.tasks import index_suggestion_task

    transaction.on_commit(lambda: index_suggestion_task.enqueue(suggestion.pk))
    return suggestion


MAX_SCAN_BYTES = 10 * 1024 * 1024


def _check_scan(scan) -> str:
    """The scan's type from its content (PDF, PNG or JPEG), or a ValidationError."""
    if scan.size > MAX_SCAN_BYTES:
        raise ValidationError(
            {"scan": _("The file is larger than %(limit)d MB.") % {"limit": MAX_SCAN_BYTES // (1024 * 1024)}}
        )
    content_type = sniff_content_type(scan)
    if content_type not in (files.PDF, files.PNG, files.JPEG):
        raise ValidationError({"scan": _("Attach the scan as a PDF, PNG or JPEG file.")})
    return content_type


@transaction.atomic
def record_suggestion(
    *,
    actor,
    version: DocumentVersion,
    channel: str,
    text: str,
    received_on,
    title: str = "",
    language: str = "",
    contact_email: str = "",
    contact_note: str = "",
    scan=None,
    section: Section | None = None,
    paragraph: Paragraph | None = None,
    strand=None,
    region=None,
) -> Suggestion:
    """An officer records a suggestion received by letter, phone, at a meeting or by forwarded email.

    It enters the same queue, duplicate finder, answers and trace as one sent on the website; the person
    hears the answer at ``contact_email`` once they confirm it, as an anonymous author does."""
    require_officer(actor, system=True)
    if channel not in RECORDED_CHANNELS:
        raise ValidationError({"channel": _("Choose how the suggestion was received.")})
    if not version.is_published:
        raise ValidationError({"version": _("This version is not published.")})
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    if not timezone.localdate(version.opens_at) <= received_on <= timezone.localdate(version.closes_at):
        raise ValidationError({"received_on": _("The suggestion was received outside this consultation's window.")})
    fields = validation.clean_suggestion(text=text, title=title, language=language, contact_email=contact_email)
    section = validation.check_target(version, section, paragraph)
    suggestion = Suggestion(
        reference=_next_reference(str(version.document.programme.period_start)),
        version=version,
        section=section,
        paragraph=paragraph,
        strand=strand,
        region=region,
        channel=channel,
        received_on=received_on,
        recorded_by=actor,
        contact_note=normalise_text(contact_note).strip()[:300],
        contact_token=new_token() if fields["contact_email"] else "",
        **fields,
    )
    if scan:
        suggestion.scan_content_type = _check_scan(scan)
        suggestion.scan = scan
    return _save_new(suggestion, language=language, actor=actor, reason=f"recorded: {channel}")


def _count(suggestion: Suggestion) -> None:
    """Keep the counters the document pages show (see DocumentVersion.suggestion_count)."""
    increment = {"suggestion_count": F("suggestion_count") + 1}
    DocumentVersion.objects.filter(pk=suggestion.version_id).update(**increment)
    if suggestion.section_id is not None:
        Section.objects.filter(pk=suggestion.section_id).update(**increment)
    if suggestion.paragraph_id is not None:
        Paragraph.objects.filter(pk=suggestion.paragraph_id).update(**increment)


def _ask_to_confirm(suggestion: Suggestion) -> None:
    queue_templated_email(
        to=suggestion.contact_email,
        template="consultations/email/confirm",
        context={
            "suggestion": suggestion,
            "url": email_url("consultations:confirm_email", suggestion.contact_token),
        },
        language=suggestion.language,
        topic="consultations.confirm",
    )


@transaction.atomic
def confirm_contact_email(*, token: str) -> Suggestion | None:
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",)).filter(contact_token=token).exclude(contact_token="").first()
    )
    if suggestion is None:
        return None
    if suggestion.contact_email_confirmed_at is None:
        suggestion.contact_email_confirmed_at = timezone.now()
        suggestion.save(update_fields=["contact_email_confirmed_at"])
    return suggestion


@transaction.atomic
def support_suggestion(*, suggestion: Suggestion, user=None, browser_key: str = "", address: str = "") -> bool:
    """'I support this'. Returns False when this account or browser already supports it."""
    if suggestion.status == Status.MERGED and suggestion.merged_into_id:
        suggestion = suggestion.merged_into
    signed = is_signed_in(user)
    if not signed and not browser_key:
        raise PermissionDenied(_("Supporting needs cookies or an account."))
    lookup = {"user": user} if signed else {"browser_key": browser_key}
    if Support.objects.filter(suggestion=suggestion, **lookup).exists():
        return False
    if not signed:
        ratelimit.hit(ratelimit.SUPPORTS_PER_ADDRESS, address)
    _support, created = Support.objects.get_or_create(suggestion=suggestion, **lookup)
    if created:
        Suggestion.objects.filter(pk=suggestion.pk).update(support_count=F("support_count") + 1)
    return created


def recount_suggestions(version: DocumentVersion) -> None:
    """Recompute a version's suggestion counters from the rows (after a bulk load or a repair)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(field: str):
        return Coalesce(
            Subquery(
                Suggestion.objects.filter(**{field: OuterRef("pk")})
                .order_by()
                .values(field)
                .annotate(total=Count("pk"))
                .values("total")
            ),
            0,
        )

    version.paragraphs.update(suggestion_count=counted("paragraph"))
    version.sections.update(suggestion_count=counted("section"))
    DocumentVersion.objects.filter(pk=version.pk).update(suggestion_count=counted("version"))
