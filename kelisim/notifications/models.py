from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import translate_url
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kelisim.notifications import registry


class EmailChoice(models.TextChoices):
    IMMEDIATELY = "immediately", _("At once, one email per notification")
    DAILY = "daily", _("Once a day, in one digest")
    OFF = "off", _("Never: only here, on Kelisim")


class Preference(models.Model):
    """How a person hears of their notifications by email; without a row, at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(_("email"), max_length=12, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATELY)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class Digest(models.Model):
    """One daily email gathering a person's notifications: unique per person and day, so it is sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    notification_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_and_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    # The page it is about, as reversed when it was made; shown and mailed under the reader's language prefix.
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Mailed at once (set when queued), or gathered into a digest; both empty with email "off".
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"

    @property
    def text(self) -> str:
        return registry.render(self.kind, self.params)

    def url_in(self, language: str) -> str:
        return translate_url(self.url, language) if self.url else ""


class Follow(models.Model):
    """A person follows a consultation, a plan item, a call or an organisation, and hears of its changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_follow_per_object")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"
