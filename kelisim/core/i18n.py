"""Content in three languages: Kazakh, Russian and English.

Records that carry their own text in several languages keep one column per language
(``name_kk``, ``name_ru``, ``name_en``). :class:`Localized` reads the one for the active
language and falls back to the others, so that a page never shows an empty name.
"""

from django.conf import settings
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
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


class Localized:
    """A read-only attribute that picks ``<base>_<lang>`` for the active language."""

    def __init__(self, base: str):
        self.base = base

    def __set_name__(self, owner, name):
        self.attribute = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        for code in fallback_order():
            value = getattr(instance, f"{self.base}_{code}", "")
            if value:
                return value
        return ""


def localized_fields(base: str) -> list[str]:
    return [f"{base}_{code}" for code in LANGUAGE_CODES]
