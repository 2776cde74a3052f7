"""Roundtable answers and decisions' plan items become facts worded in each reader's language.

Before, a decision kept "пункт 1.1.3 (AP-0007)" in the language of the officer who recorded it, and the
answer it gave a suggestion was a sentence in that language. Now the decision keeps the item's number and
the suggestion the answer's facts (``consultations.answers``). An answer is converted only when it is exactly
the sentence the system wrote (in any of the three languages); an answer an officer edited since stays as
typed.
"""

import re

from django.db import migrations, models
from django.utils import timezone, translation
from django.utils.translation import gettext

from kelisim.consultations import answers

LANGUAGES = ("kk", "ru", "en")
NUMBER = re.compile(r"\d+(?:\.\d+)*")


def _old_answers(decision, label: str) -> set[str]:
    """The sentence the system used to store, in each language it may have been written in."""
    roundtable = decision.roundtable
    values = {
        "title": roundtable.title_ru,  # the single title of before, kept in this column
        "date": timezone.localtime(roundtable.starts_at).strftime("%d.%m.%Y"),
        "text": decision.text,
    }
    found = set()
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            if decision.kind == "incorporate":
                sentence = gettext(
                    "The roundtable “%(title)s” of %(date)s took this suggestion into the action plan, "
                    "%(item)s: %(text)s"
                ) % {**values, "item": label or decision.plan_item_code}
            else:
                sentence = gettext("The roundtable “%(title)s” of %(date)s decided: %(text)s") % values
        found.add(" ".join(sentence.split()))
    return found


def forwards(apps, schema_editor):
    Decision = apps.get_model("meetings", "Decision")
    Suggestion = apps.get_model("consultations", "Suggestion")
    for decision in Decision.objects.select_related("roundtable").order_by("pk"):
        label = decision.plan_item_number  # still the worded label, renamed above
        number = ""
        if label:
            match = NUMBER.search(label.split("(")[0])
            number = match.group(0) if match else ""
        if decision.suggestion_id and decision.applied_at and decision.kind in ("incorporate", "decline"):
            suggestion = Suggestion.objects.get(pk=decision.suggestion_id)
            written = " ".join(suggestion.official_answer.split())
            if not suggestion.answer_facts and written and written in _old_answers(decision, label):
                incorporated = decision.kind == "incorporate"
                suggestion.answer_facts = answers.roundtable_facts(
                    title={language: getattr(decision.roundtable, f"title_{language}") for language in LANGUAGES},
                    held_on=timezone.localtime(decision.roundtable.starts_at).date(),
                    text=decision.text,
                    item_number=number if incorporated else "",
                    item_code=decision.plan_item_code if incorporated else "",
                )
                suggestion.official_answer = ""
                suggestion.save(update_fields=["answer_facts", "official_answer"])
        if label != number:
            decision.plan_item_number = number
            decision.save(update_fields=["plan_item_number"])


def backwards(apps, schema_editor):
    """Back to stored sentences, in Russian (the platform's default language)."""
    Decision = apps.get_model("meetings", "Decision")
    Suggestion = apps.get_model("consultations", "Suggestion")
    with translation.override("ru"):
        for suggestion in Suggestion.objects.exclude(answer_facts={}):
            suggestion.official_answer = answers.word(suggestion.answer_facts)
            suggestion.answer_facts = {}
            suggestion.save(update_fields=["answer_facts", "official_answer"])
        for decision in Decision.objects.exclude(plan_item_number=""):
            decision.plan_item_number = answers.plan_item_label(decision.plan_item_number, decision.plan_item_code)
            decision.save(update_fields=["plan_item_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_titles_in_three_languages"),
        ("consultations", "0012_answer_facts"),
    ]

    operations = [
        # Renamed in the code only: the column keeps its name, so the release still running during a rolling
        # upgrade reads and writes it as before.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name=model, old_name="plan_item_label", new_name="plan_item_number"
                )
                for model in ("decision", "historicaldecision")
            ]
            + [
                migrations.AlterField(
                    model_name=model,
                    name="plan_item_number",
                    field=models.CharField(blank=True, db_column="plan_item_label", max_length=100),
                )
                for model in ("decision", "historicaldecision")
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
