"""OCDS releases as they were published: one row per change of a contracting process's public content."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kelisim.funding.models.contracts import Contract


class Release(models.Model):
    """An OCDS release, kept unchanged once published.

    ``sequence`` counts the releases of one contract (1, 2, ...); ``content_hash`` is the SHA-256 of the
    release without its ``id``, ``date`` and ``tag``, so that a change that leaves the public content as
    it was publishes nothing.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="releases")
    sequence = models.PositiveIntegerField()
    release_id = models.CharField(_("release id"), max_length=120, unique=True)
    ocid = models.CharField(_("ocid"), max_length=100, db_index=True)
    date = models.DateTimeField(_("date"))
    tag = models.JSONField(default=list)
    language = models.CharField(max_length=8)
    content_hash = models.CharField(max_length=64)
    data = models.JSONField()

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [models.UniqueConstraint(fields=["contract", "sequence"], name="one_release_per_sequence")]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")

    def __str__(self) -> str:
        return self.release_id
