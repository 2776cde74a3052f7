from django.db import migrations


def load_regions(apps, schema_editor):
    from kelisim.core.models import load_regions as load

    load(apps.get_model("core", "Region"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
