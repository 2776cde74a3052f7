from django.conf import settings
from django.db import migrations, models

from kelisim.core.migration_operations import AddIndexWithoutBlockingWrites


class Migration(migrations.Migration):
    # PostgreSQL builds the index CONCURRENTLY, which cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("consultations", "0014_database_defaults_for_rolling_upgrades"),
        ("core", "0005_outbox_reply_headers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="suggestion",
            index=models.Index(
                condition=models.Q(("status__in", ["received", "under_review"])),
                fields=["created_at", "id"],
                name="suggestion_waiting_by_date",
            ),
        ),
    ]
