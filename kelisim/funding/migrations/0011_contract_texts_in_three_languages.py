"""A contract's public title and summary in kk, ru and en (issue 16), first copied from its application.

Safe for a rolling upgrade: new columns with a database default. Existing contracts get their application's title and
summary in the language they are written in (told from the script, as OCDS releases do); the officer adds the others.
"""

from django.db import migrations, models

import kelisim.core.fields

MODELS = ("contract", "historicalcontract")
LANGUAGES = (("kk", "Kazakh"), ("ru", "Russian"), ("en", "English"))


def _title(language: str):
    return models.CharField(
        blank=True, db_default="", default="", max_length=300, verbose_name=f"project title ({language})"
    )


def _summary(language: str):
    return kelisim.core.fields.BoundedTextField(
        blank=True, db_default="", default="", max_length=2000, verbose_name=f"summary ({language})"
    )


def copy_from_applications(apps, schema_editor):
    from kelisim.consultations.text import detect_language

    Contract = apps.get_model("funding", "Contract")
    untitled = Contract.objects.filter(title_kk="", title_ru="", title_en="").select_related("application")
    changed = []
    for contract in untitled.iterator(chunk_size=500):
        application = contract.application
        language = detect_language(f"{application.title} {application.summary}")
        setattr(contract, f"title_{language}", application.title)
        setattr(contract, f"summary_{language}", application.summary)
        changed.append(contract)
        if len(changed) == 500:
            Contract.objects.bulk_update(
                changed, [f"{base}_{code}" for base in ("title", "summary") for code, _ in LANGUAGES]
            )
            changed = []
    Contract.objects.bulk_update(changed, [f"{base}_{code}" for base in ("title", "summary") for code, _ in LANGUAGES])


class Migration(migrations.Migration):
    dependencies = [("funding", "0010_milestone_texts_in_three_languages")]

    operations = [
        *(
            migrations.AddField(model_name=model, name=f"{base}_{code}", field=make(language))
            for model in MODELS
            for base, make in (("title", _title), ("summary", _summary))
            for code, language in LANGUAGES
        ),
        migrations.RunPython(copy_from_applications, migrations.RunPython.noop),
    ]
