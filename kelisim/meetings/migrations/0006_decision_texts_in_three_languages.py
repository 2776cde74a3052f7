"""The wording of a roundtable's decision in kk, ru and en (issue 16).

Safe for a rolling upgrade: the old ``text`` column stays and becomes the Russian wording (only the model's field
name changes, no SQL); the Kazakh and English wordings are new columns with a database default.
"""

from django.db import migrations, models

import kelisim.core.fields

MODELS = ("decision", "historicaldecision")
LIMIT = 5000


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_answer_facts")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                operation
                for model in MODELS
                for operation in (
                    migrations.RenameField(model_name=model, old_name="text", new_name="text_ru"),
                    migrations.AlterField(
                        model_name=model,
                        name="text_ru",
                        field=kelisim.core.fields.BoundedTextField(
                            blank=True,
                            db_column="text",
                            max_length=LIMIT,
                            verbose_name="wording of the decision (Russian)",
                        ),
                    ),
                )
            ],
            database_operations=[],
        ),
        *(
            migrations.AddField(
                model_name=model,
                name=f"text_{code}",
                field=kelisim.core.fields.BoundedTextField(
                    blank=True,
                    db_default="",
                    default="",
                    max_length=LIMIT,
                    verbose_name=f"wording of the decision ({language})",
                ),
            )
            for model in MODELS
            for code, language in (("kk", "Kazakh"), ("en", "English"))
        ),
    ]
