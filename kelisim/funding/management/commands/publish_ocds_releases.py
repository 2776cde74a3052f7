from django.core.management.base import BaseCommand

from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Contract
from kelisim.funding.services import publish_releases


class Command(BaseCommand):
    help = "Publish an OCDS release of every public contract whose content changed since its last release."

    def handle(self, *args, **options):
        ids = list(Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES).values_list("pk", flat=True))
        published = publish_releases(ids)
        self.stdout.write(f"{published} new releases for {len(ids)} public contracts")
