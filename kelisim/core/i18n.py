"""Content in three languages: Kazakh, Russian and English.

Records that carry their own text in several languages keep one column per language
(``name_kk``, ``name_ru``, ``name_en``). :class:`Localized` reads the one for the active
language and falls back to the others, so that a page never shows an empty name.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]


class ContentLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


def _interpolate(message, values: dict) -> str:
    return str(message) % values


lazy_interpolate = lazy(_interpolate, str)
"""``lazy_interpolate(_("… %(n)d …"), {"n": 3})``: a lazy message with its values, worded in the language active
when it is shown (``_("…") % {…}`` at import time would freeze the language of the process start)."""


def active_language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def fallback_order(language: str | None = None) -> list[str]:
    first = language or active_language()
    return [first, *[code for code in ("ru", "kk", "en") if code != first]]


def in_each_language(make: Callable[[], object]) -> dict[str, str]:
    """``make()`` worded in each language, for text stored now and read later by someone else (a notification
    about a call keeps the call's title in kk, ru and en, so that its reader gets the title in their language,
    not in the language of the person whose action sent it)."""
    worded = {}
    for code in LANGUAGE_CODES:
        with override(code):
            worded[code] = str(make() or "")
    return worded


def is_worded_in_each_language(value) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGE_CODES)


def in_reader_language(value, language: str | None = None) -> str:
    """The reader's wording of a value made by :func:`in_each_language` (another language's if theirs is
    empty); any other value as it is."""
    if not is_worded_in_each_language(value):
        return value
    for code in fallback_order(language):
        if value.get(code):
            return value[code]
    return ""


@dataclass(frozen=True)
class LocalizedText:
    """A content field's text for a reader, with the language it is written in.

    ``language`` is the language of ``text`` (empty when no language has it); ``fallback`` says that the reader's
    language had no text, so the page should mark the text with its ``lang`` and say which language it is in.
    """

    text: str
    language: str
    wanted: str

    @property
    def fallback(self) -> bool:
        return bool(self.text) and self.language != self.wanted

    def __str__(self) -> str:
        return self.text


class Localized:
    """A read-only attribute that picks ``<base>_<lang>`` for the active language.

    ``Model.<attribute>.resolve(obj)`` gives the same text as a :class:`LocalizedText` (text and its language), for
    templates that mark a fallback (``{% localized obj "title" %}``, ``core.templatetags.kelisim``).
    """

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.attribute = name

    def resolve(self, instance, language: str | None = None) -> LocalizedText:
        order = fallback_order(language)
        for code in order:
            value = getattr(instance, f"{self.base}_{code}", "")
            if value:
                return LocalizedText(value, code, order[0])
        return LocalizedText("", "", order[0])

    def missing(self, instance) -> list[str]:
        """The languages without text, when at least one has it (nothing is missing from an empty field)."""
        empty = [code for code in LANGUAGE_CODES if not getattr(instance, f"{self.base}_{code}", "")]
        return [] if len(empty) == len(LANGUAGE_CODES) else empty

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return self.resolve(instance).text


def localized_attributes(model) -> list[Localized]:
    """The model's localized content attributes, in the order they are declared."""
    return [value for value in vars(model).values() if isinstance(value, Localized)]


def localized_fields(base: str) -> list[str]:
    return [f"{base}_{code}" for code in LANGUAGE_CODES]


def require_one_language(data: dict, base: str, message) -> None:
    """Refuse (``ValidationError``) a content field left empty in every language; ``data`` maps field names to text."""
    if not any((data.get(name) or "").strip() for name in localized_fields(base)):
        raise ValidationError(message)


LANGUAGE_NOTES = {
    "kk": _("shown in Kazakh"),
    "ru": _("shown in Russian"),
    "en": _("shown in English"),
}
"""The visible note beside a text shown in another language than the page's, worded in the reader's language."""
