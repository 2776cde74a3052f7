from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kelisim.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from kelisim.api.tasks import forget_expired_idempotency_keys
        from kelisim.core import registry

        registry.register_periodic(
            registry.PeriodicTask("api.forget_idempotency_keys", forget_expired_idempotency_keys, every_seconds=3600)
        )
