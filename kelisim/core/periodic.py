"""The periodic scheduler's one step: enqueue each registered periodic task whose due time has come, once per
due time however many schedulers run (one per node is fine).

A task every N seconds is due in slots ``floor(epoch / N)``; a scheduler enqueues it only if it moves the
task's ``PeriodicSlot`` forward with a conditional update, which exactly one scheduler can do per slot.
"""

import logging
import time

from django.db import IntegrityError, transaction
from django.utils import timezone

from kelisim.core import registry
from kelisim.core.models import PeriodicSlot

logger = logging.getLogger(__name__)


def _claim(key: str, slot: int) -> bool:
    if PeriodicSlot.objects.filter(key=key, slot__lt=slot).update(slot=slot, enqueued_at=timezone.now()):
        return True
    try:
        with transaction.atomic():
            PeriodicSlot.objects.create(key=key, slot=slot, enqueued_at=timezone.now())
    except IntegrityError:
        return False  # another scheduler created it first (for this slot or a later one)
    return True


def enqueue_due(now: float | None = None) -> list[str]:
    """Enqueue what is due now; return the keys this scheduler enqueued."""
    now = time.time() if now is None else now
    enqueued = []
    for periodic in registry.periodic_tasks():
        slot = int(now // periodic.every_seconds)
        with transaction.atomic():
            if _claim(periodic.key, slot):
                periodic.task.enqueue()
                enqueued.append(periodic.key)
                logger.info(
                    "enqueued %s for due time %s", periodic.key, slot, extra={"periodic": periodic.key, "slot": slot}
                )
    return enqueued
