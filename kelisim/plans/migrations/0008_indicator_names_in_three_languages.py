"""Indicator names in kk, ru and en (issue 16).

Safe for a rolling upgrade: the old ``name`` column stays and becomes the Russian name (only the model's field
name changes, no SQL); the Kazakh and English names are new columns with a database default.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_text_limits")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="indicator", old_name="name", new_name="name_ru"),
                migrations.AlterField(
                    model_name="indicator",
                    name="name_ru",
                    field=models.CharField(
                        blank=True, db_column="name", max_length=300, verbose_name="indicator (Russian)"
                    ),
                ),
            ],
            database_operations=[],
        ),
        *(
            migrations.AddField(
                model_name="indicator",
                name=f"name_{code}",
                field=models.CharField(
                    blank=True, db_default="", default="", max_length=300, verbose_name=f"indicator ({language})"
                ),
            )
            for code, language in (("kk", "Kazakh"), ("en", "English"))
        ),
    ]
