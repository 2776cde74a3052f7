"""Roundtable and agenda item titles in kk, ru and en (issue 16).

Safe for a rolling upgrade: the old ``title`` column stays and becomes the Russian title (only the model's
field name changes, no SQL); the Kazakh and English titles are new columns with a database default.
"""

from django.db import migrations, models

TITLE_COLUMNS = [("roundtable", 300), ("historicalroundtable", 300), ("agendaitem", 300)]


def _rename(model, max_length):
    return [
        migrations.RenameField(model_name=model, old_name="title", new_name="title_ru"),
        migrations.AlterField(
            model_name=model,
            name="title_ru",
            field=models.CharField(
                blank=True, db_column="title", max_length=max_length, verbose_name="title (Russian)"
            ),
        ),
    ]


def _added(model, max_length):
    return [
        migrations.AddField(
            model_name=model,
            name=f"title_{code}",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=max_length, verbose_name=f"title ({language})"
            ),
        )
        for code, language in (("kk", "Kazakh"), ("en", "English"))
    ]


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_text_limits")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[operation for model, length in TITLE_COLUMNS for operation in _rename(model, length)],
            database_operations=[],
        ),
        *(operation for model, length in TITLE_COLUMNS for operation in _added(model, length)),
    ]
