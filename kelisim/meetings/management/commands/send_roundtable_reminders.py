from django.core.management.base import BaseCommand

from kelisim.meetings import services


class Command(BaseCommand):
    help = "Email a reminder to everyone with a seat at a roundtable that starts within the next day (run hourly)."

    def handle(self, *args, **options):
        sent = services.send_reminders()
        self.stdout.write(f"{sent} reminders queued")
