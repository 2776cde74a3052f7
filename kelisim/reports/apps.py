from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kelisim.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from kelisim.reports import datasets, signals

        datasets.register()
        signals.connect()
