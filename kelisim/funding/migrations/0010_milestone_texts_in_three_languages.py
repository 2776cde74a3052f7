"""A contract milestone's title and deliverables in kk, ru and en (issue 16).

Safe for a rolling upgrade: the old ``title`` and ``deliverables`` columns stay and become the Russian ones (only
the model's field names change, no SQL); the Kazakh and English texts are new columns with a database default.
"""

from django.db import migrations, models

import kelisim.core.fields

MODELS = ("milestone", "historicalmilestone")
LANGUAGES = (("kk", "Kazakh"), ("en", "English"))


def _title(language: str, **options):
    return models.CharField(blank=True, max_length=200, verbose_name=f"milestone ({language})", **options)


def _deliverables(language: str, **options):
    return kelisim.core.fields.BoundedTextField(
        blank=True, max_length=5000, verbose_name=f"deliverables ({language})", **options
    )


class Migration(migrations.Migration):
    dependencies = [("funding", "0009_automatic_conflict_without_note")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                operation
                for model in MODELS
                for operation in (
                    migrations.RenameField(model_name=model, old_name="title", new_name="title_ru"),
                    migrations.AlterField(
                        model_name=model, name="title_ru", field=_title("Russian", db_column="title")
                    ),
                    migrations.RenameField(model_name=model, old_name="deliverables", new_name="deliverables_ru"),
                    migrations.AlterField(
                        model_name=model,
                        name="deliverables_ru",
                        field=_deliverables("Russian", db_column="deliverables"),
                    ),
                )
            ],
            database_operations=[],
        ),
        *(
            migrations.AddField(
                model_name=model, name=f"{base}_{code}", field=make(language, db_default="", default="")
            )
            for model in MODELS
            for base, make in (("title", _title), ("deliverables", _deliverables))
            for code, language in LANGUAGES
        ),
    ]
