from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class MeetingsConfig(AppConfig):
    name = "kelisim.meetings"
    label = "meetings"
    verbose_name = _("Roundtables")

    def ready(self):
        from kelisim.meetings import sitesearch

        sitesearch.register()
        from kelisim.core import registry
        from kelisim.meetings import selectors
        from kelisim.meetings.tasks import send_roundtable_reminders

        registry.register_navigation(registry.NavigationEntry("meetings:list", _("Roundtables"), order=30))
        registry.register_periodic(
            registry.PeriodicTask("meetings.reminders", send_roundtable_reminders, every_seconds=3600)
        )
        registry.register_home_figure(
            registry.HomeFigure(
                key="roundtables",
                label=lambda n: ngettext("roundtable held", "roundtables held", n),
                value=selectors.held_count,
                url_name="meetings:list",
                order=30,
            )
        )
        from kelisim.meetings.sitemaps import RoundtableSitemap

        registry.register_sitemap(registry.SitemapSection("roundtables", RoundtableSitemap, order=30))
