"""The one validation of what people send to the consultation. The form, the API and the services call
these, so that a suggestion is held to the same rules, with the same messages, whichever way it comes.

Field checks raise a plain ValidationError (a form shows it under its field); the checks that look at
several fields raise one keyed by field (``{"text": [...]}``), which the API reports field by field.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kelisim.consultations.models import TEXT_MAX_LENGTH, TEXT_MIN_LENGTH, DocumentVersion, Paragraph, Section
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import Region, Strand
from kelisim.core.text import normalise_text

TITLE_MAX_LENGTH = 200


def clean_text(raw: str) -> str:
    """The suggestion as it will be stored, between TEXT_MIN_LENGTH and TEXT_MAX_LENGTH characters."""
    text = normalise_text(raw)
    if len(text) < TEXT_MIN_LENGTH:
        raise ValidationError(
            _("Please write at least %(min)d characters (you wrote %(count)d).")
            % {"min": TEXT_MIN_LENGTH, "count": len(text)}
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Please shorten your suggestion to %(max)d characters (it has %(count)d).")
            % {"max": TEXT_MAX_LENGTH, "count": len(text)}
        )
    return text


def clean_title(raw: str) -> str:
    return " ".join((raw or "").split())[:TITLE_MAX_LENGTH]


def check_language(code: str) -> None:
    if code not in LANGUAGE_CODES:
        raise ValidationError(_("Choose Kazakh, Russian or English."))


def clean_contact_email(raw: str) -> str:
    """An address to hear the answer (optional): checked, stored in lower case."""
    address = (raw or "").strip().lower()
    if address:
        validate_email(address)
    return address


def _checked(errors: dict, name: str, check, value):
    """``check(value)``; a ValidationError is kept in ``errors`` under ``name`` (and None returned)."""
    try:
        return check(value)
    except ValidationError as error:
        errors[name] = error.messages
        return None


def _by_code(model, message: str):
    def find(code: str):
        found = model.objects.filter(code=code).first() if code else None
        if code and found is None:
            raise ValidationError(message)
        return found

    return find


def reference_data(*, strand: str = "", region: str = "") -> dict:
    """The strand and region named by their codes (None when not given); an unknown code is refused."""
    errors: dict = {}
    found = {
        "strand": _checked(errors, "strand", _by_code(Strand, _("Unknown strand code.")), strand),
        "region": _checked(errors, "region", _by_code(Region, _("Unknown region code.")), region),
    }
    if errors:
        raise ValidationError(errors)
    return found


def target_by_keys(
    version: DocumentVersion, *, section_key: str = "", paragraph_key: str = ""
) -> tuple[Section | None, Paragraph | None]:
    """The section or paragraph of ``version`` a suggestion is about, from their stable IDs."""
    if paragraph_key:
        paragraph = version.paragraphs.select_related("section").filter(key=paragraph_key).first()
        if paragraph is None:
            raise ValidationError({"paragraph": _("This version has no paragraph with this ID.")})
        return None, paragraph
    if section_key:
        section = version.sections.filter(key=section_key).first()
        if section is None:
            raise ValidationError({"section": _("This version has no section with this ID.")})
        return section, None
    return None, None


def check_target(version: DocumentVersion, section: Section | None, paragraph: Paragraph | None) -> Section | None:
    """The section the suggestion is filed under: the paragraph's own when it is about a paragraph."""
    if paragraph is not None:
        if paragraph.version_id != version.pk:
            raise ValidationError({"paragraph": _("This paragraph is not part of this version.")})
        section = paragraph.section
    if section is not None and section.version_id != version.pk:
        raise ValidationError({"section": _("This section is not part of this version.")})
    return section


def clean_suggestion(*, text: str, title: str, language: str, contact_email: str) -> dict:
    """The fields of a suggestion as they will be stored; every field error at once, keyed by field."""
    errors: dict = {}
    cleaned = {
        "text": _checked(errors, "text", clean_text, text),
        "title": clean_title(title),
        "language": language,
        "contact_email": _checked(errors, "contact_email", clean_contact_email, contact_email),
    }
    if language:
        _checked(errors, "language", check_language, language)
    if errors:
        raise ValidationError(errors)
    return cleaned
