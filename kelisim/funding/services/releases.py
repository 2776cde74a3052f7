"""OCDS releases: after each change of a contract, its call, its application or its organisation, a new
release is published when the public content changed (see ``kelisim.funding.ocds``).

``publish_release`` is the platform's own act (no actor): the funding services' changes reach it through
``funding.signals`` (after commit, as the ``funding.tasks.publish_releases`` task), the demo and
``manage.py publish_ocds_releases`` call it directly. It is idempotent: unchanged content publishes nothing.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kelisim.funding import ocds
from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Contract, Release


@transaction.atomic
def publish_release(*, contract: Contract, at: datetime | None = None) -> Release | None:
    """A new release of the contract's process dated ``at`` (now by default), or None when nothing public
    changed since its last release (or the contract is a draft, which is not public)."""
    locked = Contract.objects.select_for_update().filter(pk=contract.pk).values_list("status", flat=True).first()
    if locked not in PUBLIC_CONTRACT_STATUSES:
        return None
    contract = ocds.contract_queryset().get(pk=contract.pk)
    data = ocds.content(contract)
    digest = ocds.content_hash(data)
    previous = Release.objects.filter(contract=contract).order_by("-sequence").first()
    if previous is not None and previous.content_hash == digest:
        return None
    sequence = previous.sequence + 1 if previous else 1
    date = at or timezone.now()
    if previous is not None and date <= previous.date:
        date = previous.date + timedelta(seconds=1)
    release = ocds.as_release(
        data, sequence=sequence, date=date, tag=ocds.tag_for(contract, previous.data if previous else None)
    )
    return Release.objects.create(
        contract=contract,
        sequence=sequence,
        release_id=release["id"],
        ocid=data["ocid"],
        date=date,
        tag=release["tag"],
        language=data["language"],
        content_hash=digest,
        data=release,
    )


def publish_releases(contract_ids) -> int:
    """Publish what changed for each of these contracts; the number of new releases."""
    published = 0
    for contract in Contract.objects.filter(pk__in=list(contract_ids), status__in=PUBLIC_CONTRACT_STATUSES):
        published += publish_release(contract=contract) is not None
    return published
