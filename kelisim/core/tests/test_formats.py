"""Dates, numbers and money follow the page's language, through one set of filters used by every template."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import kelisim

WHEN = datetime.datetime(2026, 12, 2, 14, 5, tzinfo=datetime.UTC)  # 19:05 in Almaty


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load formats %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "day", "short", "money", "number"),
    [
        ("kk", "2026 жылғы 2 желтоқсан, 19:05", "02.12.2026", "1\u00a0500\u00a0000\u00a0₸", "1\u00a0234,5"),
        ("ru", "2 декабря 2026\u00a0г., 19:05", "02.12.2026", "1\u00a0500\u00a0000\u00a0₸", "1\u00a0234,5"),
        ("en", "2 December 2026, 19:05", "2 Dec 2026", "KZT\u00a01,500,000", "1,234.5"),
    ],
)
def test_each_language_writes_dates_numbers_and_money_its_own_way(language, day, short, money, number):
    assert render("{{ when|day_time }}", language, when=WHEN) == day
    assert render("{{ when|short_day }}", language, when=WHEN) == short
    assert render("{{ amount|money }}", language, amount=Decimal("1500000.00")) == money
    assert render("{{ value|number }}", language, value=1234.5) == number


def test_whole_numbers_show_no_decimals_and_fixed_decimals_are_kept():
    assert render("{{ value|number }}", "en", value=Decimal("150.00")) == "150"
    assert render("{{ value|number:2 }}", "ru", value=0.5) == "0,50"
    assert render("{{ value|percent }}", "ru", value=42) == "42\u00a0%"
    assert render("{{ when|iso }}", "kk", when=WHEN) == "2026-12-02T19:05:00+05:00"
    assert render("{{ when|clock }}", "en", when=WHEN) == "19:05"
    assert render("{{ missing|day }}{{ missing|money }}", "en", missing=None) == ""


RAW_FORMATTING = re.compile(r"\|(date|time|floatformat)\b|\|intcomma\b")


def test_templates_format_only_through_the_filters():
    """No template formats a date or a number by hand (CSV headers and exports are written in Python)."""
    root = Path(kelisim.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("templates/**/*"))
        if path.suffix in {".html", ".txt", ".xml"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_FORMATTING.search(line)
    ]
    assert not offenders, offenders
