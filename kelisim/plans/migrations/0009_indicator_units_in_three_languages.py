"""Indicator units in kk, ru and en (issue 16).

Safe for a rolling upgrade, as the names before them: the old ``unit`` column stays and becomes the Russian unit
(only the model's field name changes, no SQL); the Kazakh and English units are new columns with a database default.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_indicator_names_in_three_languages")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="indicator", old_name="unit", new_name="unit_ru"),
                migrations.AlterField(
                    model_name="indicator",
                    name="unit_ru",
                    field=models.CharField(blank=True, db_column="unit", max_length=50, verbose_name="unit (Russian)"),
                ),
            ],
            database_operations=[],
        ),
        *(
            migrations.AddField(
                model_name="indicator",
                name=f"unit_{code}",
                field=models.CharField(
                    blank=True, db_default="", default="", max_length=50, verbose_name=f"unit ({language})"
                ),
            )
            for code, language in (("kk", "Kazakh"), ("en", "English"))
        ),
    ]
