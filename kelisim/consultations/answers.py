"""Answers the system gives on its own (a roundtable's decision), kept as facts and worded when shown.

An officer's answer is their own text and is stored as typed. An answer that a roundtable's decision
gives is stored as ``Suggestion.answer_facts`` (see ``roundtable_facts``) and worded here in the active
language, so the suggestion page, the trace, the reports and the author's email (rendered in the author's
language) each read it in their reader's language. Only the roundtable's title and the decision's wording,
which people wrote, stay in the language they were written in.
"""

import datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kelisim.core.templatetags.formats import short_date

ROUNDTABLE = "roundtable"


def roundtable_facts(
    *, title: dict, held_on: datetime.date, text: dict, item_number: str = "", item_code: str = ""
) -> dict:
    """What a roundtable's answer keeps: its title and the decision's wording in each language they have
    (``{"kk": …, "ru": …, "en": …}``), ``item_*`` only when the decision took the suggestion into the plan."""
    return {
        "kind": ROUNDTABLE,
        "title": title,
        "date": held_on.isoformat(),
        "text": text,
        "item_number": item_number,
        "item_code": item_code,
    }


def plan_item_label(number: str, code: str) -> str:
    """A plan item as people name it ("item 1.1.3 (AP-0007)"), in the active language."""
    if number and code:
        return _("item %(number)s (%(code)s)") % {"number": number, "code": code}
    return number or code


def _in_language(texts) -> str:
    """A text kept per language in the active language, else in Russian, else in any language it has; answers kept
    before the text was kept per language hold a single string."""
    if isinstance(texts, str):
        return texts
    language = (get_language() or "ru")[:2]
    return texts.get(language) or texts.get("ru") or next((text for text in texts.values() if text), "")


def word(facts: dict) -> str:
    """The answer in the active language; unknown facts give an empty text rather than a wrong one."""
    if facts.get("kind") != ROUNDTABLE:
        return ""
    try:
        held_on = short_date(datetime.date.fromisoformat(facts["date"]))
        values = {"title": _in_language(facts["title"]), "date": held_on, "text": _in_language(facts["text"])}
    except (KeyError, TypeError, ValueError):
        return ""
    item = plan_item_label(facts.get("item_number", ""), facts.get("item_code", ""))
    if item:
        return _(
            "The roundtable “%(title)s” of %(date)s took this suggestion into the action plan, %(item)s: %(text)s"
        ) % {**values, "item": item}
    return _("The roundtable “%(title)s” of %(date)s decided: %(text)s") % values
