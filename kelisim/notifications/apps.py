from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class NotificationsConfig(AppConfig):
    """The in-app inbox, email per person (at once, daily digest, off) and follows.

    Early in the flow (after accounts) so that every domain app may call ``notifications.services.notify``;
    it imports no domain app: what a notification says is registered by the app that sends it.
    """

    name = "kelisim.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from kelisim.core import registry
        from kelisim.notifications import personal_data, selectors
        from kelisim.notifications.tasks import send_daily_digests

        registry.register_account_link(
            registry.AccountLink(
                "notifications:inbox",
                _("Notifications"),
                order=20,
                badge=lambda request: selectors.unread_count(request.user),
                badge_label=lambda n: ngettext("%(count)d unread", "%(count)d unread", n) % {"count": n},
            )
        )
        registry.register_signed_in_reading("unread_notifications", selectors.unread_count_of_account)
        registry.register_periodic(
            registry.PeriodicTask("notifications.digests", send_daily_digests, every_seconds=900)
        )
        registry.register_personal_data("notifications", personal_data.export_personal_data)
        registry.register_account_eraser("notifications", personal_data.erase_personal_data)
