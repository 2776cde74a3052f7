from django.conf import settings
from django.db import migrations, models

from kelisim.core.migration_operations import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY, which cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("activities", "0005_plan_item_reports_index"),
        ("core", "0005_outbox_reply_headers"),
        ("funding", "0011_contract_texts_in_three_languages"),
        ("organisations", "0007_import_preview"),
        ("plans", "0009_indicator_units_in_three_languages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="activityreport",
            index=models.Index(fields=["status", "submitted_at", "id"], name="activities__status_db4a8d_idx"),
        ),
    ]
