"""Every write of the consultation. Views, the API, commands, the demo and tests call these."""

import difflib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.consultations import ratelimit
from kelisim.consultations.models import (
    ANSWERED_STATUSES,
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    Document,
    DocumentVersion,
    Paragraph,
    Programme,
    ReferenceCounter,
    Section,
    Status,
    StatusChange,
    Suggestion,
    Support,
    can_transition,
    new_key,
    new_token,
)
from kelisim.consultations.text import detect_language, normalise_text, parse_markdown
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.services import email_url, queue_templated_email

# --- Programme, documents, versions -------------------------------------------------------------


@transaction.atomic
def save_programme(*, actor, slug: str, period_start: int, period_end: int, strands=(), **texts) -> Programme:
    """Create or update a programme; ``texts`` are title_* and responsible_body_* columns."""
    require_officer(actor, system=True)
    programme, _created = Programme.objects.update_or_create(
        slug=slug, defaults={"period_start": period_start, "period_end": period_end, **texts}
    )
    programme.strands.set(strands)
    return programme


@transaction.atomic
def save_document(*, actor, programme: Programme, slug: str, kind: str, sort_order: int = 0, **titles) -> Document:
    require_officer(actor, system=True)
    document, _created = Document.objects.update_or_create(
        slug=slug, defaults={"programme": programme, "kind": kind, "sort_order": sort_order, **titles}
    )
    return document


def _similar(left: str, right: str) -> float:
    return difflib.SequenceMatcher(None, left.casefold(), right.casefold(), autojunk=False).ratio()


def _carry_keys(new_texts: list[tuple[str, str]], old_texts: list[tuple[str, str]], prefix: str) -> list[str]:
    """Stable IDs for new items: an explicit one, the same text, or the most similar old text (ratio ≥ 0.6)."""
    keys: list[str] = [explicit for explicit, _text in new_texts]
    free = {key: text for key, text in old_texts if key not in keys}
    by_text = {}
    for key, text in free.items():
        by_text.setdefault(" ".join(text.split()).casefold(), key)
    for index, (explicit, text) in enumerate(new_texts):
        if explicit:
            continue
        key = by_text.get(" ".join(text.split()).casefold())
        if key and key in free:
            keys[index] = key
            free.pop(key)
    for index, (_explicit, text) in enumerate(new_texts):
        if keys[index]:
            continue
        best = max(free.items(), key=lambda item: _similar(item[1], text), default=None)
        if best is not None and _similar(best[1], text) >= 0.6:
            keys[index] = best[0]
            free.pop(best[0])
        else:
            keys[index] = new_key(prefix)
    return keys


@transaction.atomic
def create_version(
    *,
    actor,
    document: Document,
    markdown: str,
    language: str,
    opens_at,
    closes_at,
    allow_anonymous: bool = True,
    publish: bool = True,
    note: str = "",
) -> DocumentVersion:
    """Import a new version from Markdown. Sections and paragraphs keep the IDs of the previous version
    where their text is the same or close (an edit), so suggestions stay attached to what they were about."""
    require_officer(actor, system=True)
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose Kazakh, Russian or English.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    parsed = parse_markdown(markdown)
    if not any(section.paragraphs for section in parsed):
        raise ValidationError({"markdown": _("The text has no paragraphs to publish.")})
    previous = document.versions.order_by("-number").first()
    old_sections, old_paragraphs = [], []
    if previous is not None:
        old_sections = [(s.key, getattr(s, f"heading_{language}")) for s in previous.sections.all()]
        old_paragraphs = [(p.key, getattr(p, f"text_{language}")) for p in previous.paragraphs.all()]
    section_keys = _carry_keys([(s.key, s.heading) for s in parsed], old_sections, "s")
    paragraph_keys = _carry_keys([(p.key, p.text) for s in parsed for p in s.paragraphs], old_paragraphs, "p")
    if len(set(section_keys)) != len(section_keys) or len(set(paragraph_keys)) != len(paragraph_keys):
        raise ValidationError({"markdown": _("Two parts of the text carry the same ID.")})

    version = DocumentVersion.objects.create(
        document=document,
        number=(previous.number + 1) if previous else 1,
        opens_at=opens_at,
        closes_at=closes_at,
        allow_anonymous=allow_anonymous,
        is_published=publish,
        note=note,
    )
    position = 0
    paragraph_index = 0
    for section_position, (parsed_section, key) in enumerate(zip(parsed, section_keys, strict=True)):
        section = Section.objects.create(
            version=version,
            key=key,
            position=section_position,
            level=parsed_section.level,
            **{f"heading_{language}": parsed_section.heading},
        )
        for parsed_paragraph in parsed_section.paragraphs:
            Paragraph.objects.create(
                version=version,
                section=section,
                key=paragraph_keys[paragraph_index],
                position=position,
                **{f"text_{language}": parsed_paragraph.text},
            )
            position += 1
            paragraph_index += 1
    return version


@transaction.atomic
def add_translation(*, actor, version: DocumentVersion, markdown: str, language: str) -> DocumentVersion:
    """Fill another language's text into a version; the Markdown must have the same shape."""
    require_officer(actor, system=True)
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose Kazakh, Russian or English.")})
    parsed = parse_markdown(markdown)
    sections = list(version.sections.order_by("position"))
    paragraphs = list(version.paragraphs.order_by("position"))
    parsed_paragraphs = [p for s in parsed for p in s.paragraphs]
    if len(parsed) != len(sections) or len(parsed_paragraphs) != len(paragraphs):
        raise ValidationError(
            {
                "markdown": _(
                    "The translation must have the same sections and paragraphs as the version "
                    "(%(sections)d sections, %(paragraphs)d paragraphs)."
                )
                % {"sections": len(sections), "paragraphs": len(paragraphs)}
            }
        )
    for section, parsed_section in zip(sections, parsed, strict=True):
        setattr(section, f"heading_{language}", parsed_section.heading)
    for paragraph, parsed_paragraph in zip(paragraphs, parsed_paragraphs, strict=True):
        setattr(paragraph, f"text_{language}", parsed_paragraph.text)
    Section.objects.bulk_update(sections, [f"heading_{language}"])
    Paragraph.objects.bulk_update(paragraphs, [f"text_{language}"])
    return version


@transaction.atomic
def set_window(
    *, actor, version: DocumentVersion, opens_at, closes_at, allow_anonymous: bool, is_published: bool
) -> DocumentVersion:
    require_officer(actor, system=True)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    version.opens_at, version.closes_at = opens_at, closes_at
    version.allow_anonymous, version.is_published = allow_anonymous, is_published
    version.save(update_fields=["opens_at", "closes_at", "allow_anonymous", "is_published"])
    return version


# --- Suggestions ------------------------------------------------------------------------------


def _next_reference(prefix: str) -> str:
    """A gapless-enough, unique number under the prefix. The counter row is updated in place, which
    locks it until the transaction ends, so two writers never get the same number."""
    ReferenceCounter.objects.get_or_create(prefix=prefix)
    ReferenceCounter.objects.filter(prefix=prefix).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(prefix=prefix).last
    return f"{prefix}-{number:05d}"


def validate_suggestion_text(text: str) -> str:
    text = normalise_text(text)
    if len(text) < TEXT_MIN_LENGTH:
        raise ValidationError(
            {
                "text": _("Please write at least %(min)d characters (you wrote %(count)d).")
                % {"min": TEXT_MIN_LENGTH, "count": len(text)}
            }
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Please shorten your suggestion to %(max)d characters (it has %(count)d).")
                % {"max": TEXT_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


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
    """Record a suggestion. ``author`` None means anonymous; ``address`` is only hashed for the rate limit."""
    if not version.is_open():
        raise PermissionDenied(_("This consultation is not open for suggestions."))
    signed = author is not None and author.is_authenticated
    if not signed and not version.allow_anonymous:
        raise PermissionDenied(_("Please sign in: this consultation accepts signed suggestions only."))
    text = validate_suggestion_text(text)
    title = " ".join(title.split())[:200]
    if language and language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose Kazakh, Russian or English.")})
    if paragraph is not None:
        if paragraph.version_id != version.pk:
            raise ValidationError({"paragraph": _("This paragraph is not part of this version.")})
        section = paragraph.section
    if section is not None and section.version_id != version.pk:
        raise ValidationError({"section": _("This section is not part of this version.")})

    if signed:
        since = timezone.now() - timedelta(seconds=ratelimit.SIGNED_SUGGESTIONS.window_seconds)
        sent_today = Suggestion.objects.filter(author=author, created_at__gte=since)
        if sent_today.count() >= ratelimit.SIGNED_SUGGESTIONS.count:
            oldest = sent_today.order_by("created_at").values_list("created_at", flat=True).first()
            retry = ratelimit.SIGNED_SUGGESTIONS.window_seconds - (timezone.now() - oldest).total_seconds()
            raise ratelimit.RateLimited(retry)
    else:
        ratelimit.hit(ratelimit.ANONYMOUS_SUGGESTIONS, address)

    suggestion = Suggestion(
        reference=_next_reference(str(version.document.programme.period_start)),
        version=version,
        section=section,
        paragraph=paragraph,
        title=title,
        text=text,
        language=language or detect_language(f"{title} {text}"),
        strand=strand,
        region=region,
        author=author if signed else None,
        contact_email="" if signed else contact_email.strip().lower(),
        contact_token=new_token() if (contact_email and not signed) else "",
    )
    suggestion._change_reason = "sent"
    suggestion.save()
    DocumentVersion.objects.filter(pk=version.pk).update(suggestion_count=F("suggestion_count") + 1)
    if section is not None:
        Section.objects.filter(pk=section.pk).update(suggestion_count=F("suggestion_count") + 1)
    if paragraph is not None:
        Paragraph.objects.filter(pk=paragraph.pk).update(suggestion_count=F("suggestion_count") + 1)
    StatusChange.objects.create(suggestion=suggestion, from_status="", to_status=Status.RECEIVED)
    if suggestion.contact_email:
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
    from kelisim.consultations.tasks import index_suggestion_task

    transaction.on_commit(lambda: index_suggestion_task.enqueue(suggestion.pk))
    return suggestion


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
    signed = user is not None and user.is_authenticated
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


# --- Triage ----------------------------------------------------------------------------------


@transaction.atomic
def assign_suggestions(*, actor, suggestions, assignee) -> int:
    require_officer(actor, system=True)
    if assignee is not None and not assignee.is_officer:
        raise ValidationError({"assignee": _("Suggestions can only be assigned to programme officers.")})
    changed = 0
    for suggestion in suggestions:
        if suggestion.assigned_to_id != (assignee.pk if assignee else None):
            suggestion.assigned_to = assignee
            suggestion._change_reason = _("assigned")
            suggestion.save(update_fields=["assigned_to"])
            changed += 1
    return changed


def _recipient(suggestion: Suggestion) -> tuple[str, str]:
    if suggestion.author_id and suggestion.author.is_active:
        return suggestion.author.email, suggestion.author.preferred_language
    if suggestion.contact_email and suggestion.contact_email_confirmed_at:
        return suggestion.contact_email, suggestion.language
    return "", ""


def _notify(suggestion: Suggestion, template: str, topic: str, answered: Suggestion | None = None) -> None:
    """Queue one message to the suggestion's author, if they can be reached; ``answered`` is the
    suggestion whose answer it is, when that is the one this suggestion was merged into."""
    to, language = _recipient(suggestion)
    if not to:
        return
    queue_templated_email(
        to=to,
        template=template,
        context={
            "suggestion": suggestion,
            "answered": answered or suggestion,
            "status": suggestion.get_status_display,
            "follow_url": email_url("consultations:follow", suggestion.follow_token),
        },
        language=language or "ru",
        topic=topic,
    )


def _move(suggestion: Suggestion, *, actor, to_status: str, reason: str) -> None:
    if not can_transition(suggestion.status, to_status):
        raise ValidationError(
            {
                "status": _("A suggestion cannot go from “%(from)s” to “%(to)s”.")
                % {"from": suggestion.get_status_display(), "to": Status(to_status).label}
            }
        )
    StatusChange.objects.create(
        suggestion=suggestion, from_status=suggestion.status, to_status=to_status, actor=actor, reason=reason
    )
    suggestion.status = to_status


@transaction.atomic
def change_status(*, actor, suggestion: Suggestion, status: str, answer: str = "", reason: str = "") -> Suggestion:
    """Move a suggestion along the workflow. An answering status publishes ``answer`` and tells the author.

    A suggestion still 'received' passes through 'under review' first, recorded as its own step.
    """
    require_officer(actor, system=True)
    suggestion = Suggestion.objects.select_for_update(of=("self",)).select_related("author").get(pk=suggestion.pk)
    if status == Status.MERGED:
        raise ValidationError({"status": _("Use “merge” to merge suggestions.")})
    answer = normalise_text(answer)
    if status in ANSWERED_STATUSES:
        if not answer:
            raise ValidationError({"answer": _("An official answer is required with this status.")})
        if suggestion.status == Status.RECEIVED and status != Status.OUT_OF_SCOPE:
            _move(suggestion, actor=actor, to_status=Status.UNDER_REVIEW, reason=reason)
    _move(suggestion, actor=actor, to_status=status, reason=reason or answer)
    if status in ANSWERED_STATUSES:
        suggestion.official_answer = answer
        suggestion.answered_at = timezone.now()
    elif status == Status.UNDER_REVIEW:
        suggestion.merged_into = None
    suggestion._change_reason = reason or str(Status(status).label)
    suggestion.save()
    if status in ANSWERED_STATUSES:
        _notify(suggestion, "consultations/email/answer", "consultations.answer")
        # Authors of suggestions merged into this one were told they would be answered together.
        for merged in suggestion.merged_suggestions.select_related("author"):
            _notify(merged, "consultations/email/answer", "consultations.answer", answered=suggestion)
    return suggestion


@transaction.atomic
def answer_suggestions(*, actor, suggestions, status: str, answer: str, reason: str = "") -> list[Suggestion]:
    """One answer for several suggestions (officers answer similar ones together)."""
    require_officer(actor, system=True)
    if status not in ANSWERED_STATUSES:
        raise ValidationError({"status": _("Choose an answering status.")})
    return [
        change_status(actor=actor, suggestion=suggestion, status=status, answer=answer, reason=reason)
        for suggestion in suggestions
    ]


@transaction.atomic
def merge_suggestions(*, actor, primary: Suggestion, duplicates, reason: str = "") -> Suggestion:
    """Merge duplicates into ``primary``: each stays visible, linked to it; their supporters move over."""
    require_officer(actor, system=True)
    primary = Suggestion.objects.select_for_update(of=("self",)).get(pk=primary.pk)
    if primary.status == Status.MERGED:
        raise ValidationError({"primary": _("The suggestion to merge into is itself merged.")})
    merged = 0
    for duplicate in duplicates:
        duplicate = Suggestion.objects.select_for_update(of=("self",)).select_related("author").get(pk=duplicate.pk)
        if duplicate.pk == primary.pk:
            continue
        if duplicate.version.document_id != primary.version.document_id:
            raise ValidationError({"duplicates": _("Only suggestions on the same document can be merged.")})
        _move(duplicate, actor=actor, to_status=Status.MERGED, reason=reason or primary.reference)
        duplicate.merged_into = primary
        duplicate._change_reason = f"merged into {primary.reference}"
        duplicate.save()
        # Suggestions merged earlier into this duplicate now point at the primary.
        Suggestion.objects.filter(merged_into=duplicate).update(merged_into=primary)
        for support in Support.objects.filter(suggestion=duplicate):
            lookup = {"user_id": support.user_id} if support.user_id else {"browser_key": support.browser_key}
            Support.objects.get_or_create(suggestion=primary, **lookup, defaults={"created_at": support.created_at})
        # Its author counts as a supporter of the primary too.
        if duplicate.author_id and duplicate.author_id != primary.author_id:
            Support.objects.get_or_create(suggestion=primary, user_id=duplicate.author_id)
        _notify(duplicate, "consultations/email/merged", "consultations.merged")
        merged += 1
    primary.support_count = Support.objects.filter(suggestion=primary).count()
    primary.save(update_fields=["support_count"])
    return primary


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


# --- Personal data --------------------------------------------------------------------------


def export_personal_data(user) -> list[dict]:
    return [
        {
            "reference": suggestion.reference,
            "document": str(suggestion.version.document),
            "title": suggestion.title,
            "text": suggestion.text,
            "status": suggestion.status,
            "sent_at": suggestion.created_at.isoformat(),
            "official_answer": suggestion.official_answer,
        }
        for suggestion in Suggestion.objects.filter(author=user).select_related("version__document")
    ]


@transaction.atomic
def anonymise_author(user) -> None:
    """Before an account is deleted: its public suggestions stay, without an author; its supports go."""
    for suggestion in Suggestion.objects.filter(author=user):
        suggestion.author = None
        suggestion._change_reason = "author erased their account"
        suggestion.save(update_fields=["author"])
    Suggestion.history.filter(author=user).update(author=None)
    for suggestion_id in Support.objects.filter(user=user).values_list("suggestion", flat=True):
        Suggestion.objects.filter(pk=suggestion_id, support_count__gt=0).update(support_count=F("support_count") - 1)
    Support.objects.filter(user=user).delete()
    Suggestion.objects.filter(assigned_to=user).update(assigned_to=None)
