from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """A write sent with an ``Idempotency-Key``: the first answer, replayed for any repeat within 24 hours.

    The row is written before the request is processed and is unique per sender and key, so of two requests
    sent at once with one key only one is processed; the other learns that it is still in progress.
    """

    identity = models.CharField(max_length=64)  # a hash of the sender's token or address, never the value
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    body_sha256 = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["identity", "key"], name="idempotency_key_once_per_sender")]
        verbose_name = _("idempotent API request")
        verbose_name_plural = _("idempotent API requests")

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
