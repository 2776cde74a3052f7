from django.db import migrations, models

from kelisim.core.migration_operations import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY, which cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("activities", "0004_import_preview"),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="activityreport",
            index=models.Index(fields=["plan_item", "status", "start_date"], name="activities__plan_it_60a74a_idx"),
        ),
    ]
