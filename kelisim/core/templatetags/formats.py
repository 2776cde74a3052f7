"""Dates, numbers and money as the page's language writes them: ``{% load formats %}``, then
``{{ value|day }}``, ``|day_time``, ``|short_day``, ``|short_day_time``, ``|clock``, ``|iso`` (for ``datetime``
attributes), ``|number`` (``|number:2`` for two decimals), ``|money`` (tenge with its sign or code) and ``|percent``.

Kazakh writes "2026 жылғы 2 желтоқсан" and "1 000 000 ₸"; Russian "2 декабря 2026 г." and "1 000 000 ₸";
English "2 December 2026" and "KZT 1,000,000". Every template formats through these filters (a test looks for
raw ``|date:``, ``|time:``, ``|floatformat`` and ``|intcomma``); CSV and other machine output keep ISO forms.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import dateformat, numberformat
from django.utils.translation import get_language

register = template.Library()

NBSP = "\u00a0"
KAZAKH_MONTHS = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
KAZAKH_MONTHS_SHORT = ("қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел")
RUSSIAN_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def language() -> str:
    code = (get_language() or "ru").split("-")[0]
    return code if code in {"kk", "ru", "en"} else "ru"


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime | datetime.date):
        return value
    return None


def long_date(value: datetime.date, lang: str | None = None) -> str:
    lang = lang or language()
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {KAZAKH_MONTHS[value.month - 1]}"
    if lang == "ru":
        return f"{value.day} {RUSSIAN_MONTHS[value.month - 1]} {value.year}{NBSP}г."
    return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"


def short_date(value: datetime.date, lang: str | None = None) -> str:
    lang = lang or language()
    if lang == "en":
        return f"{value.day} {ENGLISH_MONTHS[value.month - 1][:3]} {value.year}"
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


@register.filter(expects_localtime=True)
def day(value) -> str:
    value = _as_date(value)
    return long_date(value) if value else ""


@register.filter(expects_localtime=True)
def day_time(value) -> str:
    value = _as_date(value)
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return long_date(value)
    return f"{long_date(value)}, {value:%H:%M}"


@register.filter(expects_localtime=True)
def short_day(value) -> str:
    value = _as_date(value)
    return short_date(value) if value else ""


@register.filter(expects_localtime=True)
def short_day_time(value) -> str:
    value = _as_date(value)
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return short_date(value)
    return f"{short_date(value)} {value:%H:%M}"


@register.filter(expects_localtime=True)
def clock(value) -> str:
    return f"{value:%H:%M}" if isinstance(value, datetime.datetime | datetime.time) else ""


@register.filter(expects_localtime=True)
def iso(value) -> str:
    """The machine form for a ``<time datetime>`` attribute."""
    value = _as_date(value)
    if isinstance(value, datetime.datetime):
        return dateformat.format(value, "c")
    return value.isoformat() if value else ""


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def format_number(value, decimals: int | None = None, lang: str | None = None) -> str:
    """Grouped digits with the language's separators; without ``decimals``, at most two and none when whole."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    lang = lang or language()
    if decimals is None:
        number = number.quantize(Decimal("0.01")).normalize() if number != number.to_integral() else number
        places = max(0, -number.as_tuple().exponent) if number != number.to_integral() else 0
    else:
        places = decimals
    separator, thousands = (".", ",") if lang == "en" else (",", NBSP)
    return numberformat.format(
        number, separator, decimal_pos=places, grouping=3, thousand_sep=thousands, force_grouping=True
    )


@register.filter
def number(value, decimals=None) -> str:
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def money(value) -> str:
    """An amount in tenge: "1 000 000 ₸" in Kazakh and Russian, "KZT 1,000,000" in English."""
    if _decimal(value) is None:
        return ""
    amount = format_number(value)
    return f"KZT{NBSP}{amount}" if language() == "en" else f"{amount}{NBSP}₸"


@register.filter
def percent(value, decimals=None) -> str:
    if _decimal(value) is None:
        return ""
    shown = format_number(value, None if decimals in (None, "") else int(decimals))
    return f"{shown}%" if language() == "en" else f"{shown}{NBSP}%"
