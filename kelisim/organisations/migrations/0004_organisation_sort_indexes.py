# The public list sorts by the name in the reader's language: one expression index per language.

import django.db.models.functions.comparison
import django.db.models.functions.text
import kelisim.organisations.models
from django.db import migrations, models


def sort_index(name, codes):
    return models.Index(
        django.db.models.functions.text.Lower(
            django.db.models.functions.comparison.Coalesce(
                *[kelisim.organisations.models.BlankAsNull(f"name_{code}") for code in codes], "bin"
            )
        ),
        models.F("id"),
        name=name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_regions"),
        ("organisations", "0003_organisation_search"),
    ]

    operations = [
        migrations.AddIndex(model_name="organisation", index=sort_index("organisation_sort_name_kk", ["kk", "ru", "en"])),
        migrations.AddIndex(model_name="organisation", index=sort_index("organisation_sort_name_ru", ["ru", "kk", "en"])),
        migrations.AddIndex(model_name="organisation", index=sort_index("organisation_sort_name_en", ["en", "ru", "kk"])),
    ]
