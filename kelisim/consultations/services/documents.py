"""Programmes, documents and their versions: importing a version from Markdown (stable IDs carried over
from the previous version), adding a translation, and the consultation window."""

import difflib

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.accounts.permissions import require_officer
from kelisim.consultations.models import Document, DocumentVersion, Paragraph, Programme, Section, new_key
from kelisim.consultations.text import ParsedSection, parse_markdown
from kelisim.consultations.validation import check_language
from kelisim.core.i18n import in_each_language
from kelisim.notifications.services import notify_followers


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
    _check_language(language)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    parsed = parse_markdown(markdown)
    if not any(section.paragraphs for section in parsed):
        raise ValidationError({"markdown": _("The text has no paragraphs to publish.")})
    previous = document.versions.order_by("-number").first()
    section_keys, paragraph_keys = _stable_keys(parsed, previous, language)
    version = DocumentVersion.objects.create(
        document=document,
        number=(previous.number + 1) if previous else 1,
        opens_at=opens_at,
        closes_at=closes_at,
        allow_anonymous=allow_anonymous,
        is_published=publish,
        note=note,
    )
    _create_parts(version, parsed, section_keys, paragraph_keys, language)
    if publish:
        notify_followers(
            target=document,
            kind="consultations.new_version",
            params={"title": in_each_language(lambda: str(document))},
            url=version.get_absolute_url(),
            exclude=[actor] if actor else [],
        )
    return version


def _check_language(language: str) -> None:
    try:
        check_language(language)
    except ValidationError as error:
        raise ValidationError({"language": error.messages}) from None


def _stable_keys(
    parsed: list[ParsedSection], previous: DocumentVersion | None, language: str
) -> tuple[list[str], list[str]]:
    """The stable IDs of the new sections and paragraphs, carried over from ``previous`` where they match."""
    old_sections, old_paragraphs = [], []
    if previous is not None:
        old_sections = [(s.key, getattr(s, f"heading_{language}")) for s in previous.sections.all()]
        old_paragraphs = [(p.key, getattr(p, f"text_{language}")) for p in previous.paragraphs.all()]
    section_keys = _carry_keys([(s.key, s.heading) for s in parsed], old_sections, "s")
    paragraph_keys = _carry_keys([(p.key, p.text) for s in parsed for p in s.paragraphs], old_paragraphs, "p")
    if len(set(section_keys)) != len(section_keys) or len(set(paragraph_keys)) != len(paragraph_keys):
        raise ValidationError({"markdown": _("Two parts of the text carry the same ID.")})
    return section_keys, paragraph_keys


def _create_parts(
    version: DocumentVersion,
    parsed: list[ParsedSection],
    section_keys: list[str],
    paragraph_keys: list[str],
    language: str,
) -> None:
    keys = iter(paragraph_keys)
    position = 0
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
                key=next(keys),
                position=position,
                **{f"text_{language}": parsed_paragraph.text},
            )
            position += 1


@transaction.atomic
def add_translation(*, actor, version: DocumentVersion, markdown: str, language: str) -> DocumentVersion:
    """Fill another language's text into a version; the Markdown must have the same shape."""
    require_officer(actor, system=True)
    _check_language(language)
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
    *,
    actor,
    version: DocumentVersion,
    opens_at,
    closes_at,
    allow_anonymous: bool,
    is_published: bool,
    intake_address: str | None = None,
) -> DocumentVersion:
    """The consultation's window and, when given, its intake email address ("" for none)."""
    require_officer(actor, system=True)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})
    fields = ["opens_at", "closes_at", "allow_anonymous", "is_published"]
    if intake_address is not None:
        version.intake_address = _clean_intake_address(version, intake_address)
        fields.append("intake_address")
    version.opens_at, version.closes_at = opens_at, closes_at
    version.allow_anonymous, version.is_published = allow_anonymous, is_published
    version.save(update_fields=fields)
    return version


def _clean_intake_address(version: DocumentVersion, raw: str) -> str:
    """One address leads to one consultation: another document's open version may not share it."""
    address = (raw or "").strip().lower()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"intake_address": _("Enter a valid email address.")}) from None
    taken = (
        DocumentVersion.objects.filter(
            intake_address=address, closes_at__gt=version.opens_at, opens_at__lt=version.closes_at
        )
        .exclude(pk=version.pk)
        .select_related("document")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "intake_address": _("%(document)s, version %(number)d, takes email at this address at the same time.")
                % {"document": taken.document, "number": taken.number}
            }
        )
    return address
