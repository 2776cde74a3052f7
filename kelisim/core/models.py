import csv
from email.utils import make_msgid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.core.fields import DESCRIPTION, BoundedTextField
from kelisim.core.i18n import Localized


class Region(models.Model):
    """A first-level administrative unit of Kazakhstan (a region or a city of national significance).

    ``code`` is the ISO 3166-2:KZ code, which follows the first digits of the national KATO
    classifier and does not change when a name is re-spelt.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city", _("City of national significance")

    code = models.CharField(_("code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    centre_en = models.CharField(_("administrative centre"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    name = Localized("name")

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Strand(models.Model):
    """A programme strand (S4): the tasks that plan items, calls, projects and reports are filed under."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_kk = BoundedTextField(_("description (Kazakh)"), blank=True, max_length=DESCRIPTION)
    description_ru = BoundedTextField(_("description (Russian)"), blank=True, max_length=DESCRIPTION)
    description_en = BoundedTextField(_("description (English)"), blank=True, max_length=DESCRIPTION)
    sort_order = models.PositiveSmallIntegerField(default=0)

    name = Localized("name")
    description = Localized("description")

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("strand")
        verbose_name_plural = _("strands")

    def __str__(self) -> str:
        return self.name


def new_message_id() -> str:
    return make_msgid(domain=getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "kelisim.local"))


class OutboxEmail(models.Model):
    """An email waiting to be sent, written in the same transaction as the change that caused it.

    A background task sends it; the status change from PENDING to SENDING is a conditional
    update, so two workers can never send the same message twice, and a message whose
    transaction rolled back never existed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    # Fixed when the message is written, so that a retry after an unknown outcome (the connection dropped
    # after DATA) carries the same Message-ID and the receiving side can recognise the duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=200, default=new_message_id, editable=False)
    # Set on a message that answers one received (the consultation's acknowledgement of an email): the
    # person's reply goes to ``reply_to`` and their mail program threads it under the message answered.
    reply_to = models.EmailField(_("reply to"), blank=True, default="", db_default="")
    in_reply_to = models.CharField(max_length=998, blank=True, default="", db_default="")
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it for sending; a claim older than the lease belongs to a worker that died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    topic = models.CharField(_("topic"), max_length=60, blank=True, help_text=_("What caused the message."))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life. A task that is running under a worker whose heartbeat is older than the
    lease is taken up again (``core.worker``): the worker was killed or its machine was lost."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    queues = models.CharField(max_length=255)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class PeriodicSlot(models.Model):
    """The last due time a periodic task was enqueued for. Schedulers claim a due time with a conditional
    update, so however many run (one per node), each due time is enqueued once."""

    key = models.CharField(max_length=100, primary_key=True)
    slot = models.BigIntegerField(default=-1)
    enqueued_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.key} @ {self.slot}"


REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


def load_regions(region_model=None) -> int:
    """Create or refresh the 20 first-level units from ``data/regions.csv`` (the migration's data)."""
    region_model = region_model or Region
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for order, row in enumerate(rows):
        region_model.objects.update_or_create(code=row["code"], defaults={**row, "sort_order": order})
    return len(rows)
