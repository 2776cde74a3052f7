from django.core.management.base import BaseCommand

from kelisim.activities import summary


class Command(BaseCommand):
    help = "Recompute the activity summary tables (what dashboards read) from the verified reports."

    def handle(self, *args, **options):
        counts = summary.rebuild()
        self.stdout.write(
            f"activity rows: {counts['activity']}, audience rows: {counts['audience']}, "
            f"plan item rows: {counts['plan_item']}"
        )
