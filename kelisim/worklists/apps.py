from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistsConfig(AppConfig):
    """ "My work": what waits for each person, read from every stage (so it sits after them all)."""

    name = "kelisim.worklists"
    label = "worklists"
    verbose_name = _("My work")

    def ready(self):
        from kelisim.core import registry

        registry.register_account_link(registry.AccountLink("worklists:home", _("My work"), order=10))
