from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class CoreConfig(AppConfig):
    name = "kelisim.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from kelisim.core import observability, pagecache, search
        from kelisim.core.metrics import time_queries

        # Every committed write to a Kelisim app's tables bumps that app's public pages (core/pagecache.py).
        connection_created.connect(pagecache.watch, dispatch_uid="kelisim.pagecache.watch")
        # Every query is timed for /metrics (core/metrics.py); tasks log the request id that enqueued them.
        connection_created.connect(time_queries, dispatch_uid="kelisim-time-queries")
        # Case folding for the small tables' search in every alphabet (core/search.py, ContainsFolded).
        connection_created.connect(search.register_sqlite_functions, dispatch_uid="kelisim-sqlite-functions")
        for connection in connections.all(initialized_only=True):
            pagecache.watch(connection)
            time_queries(None, connection)
            search.register_sqlite_functions(connection=connection)
        observability.connect_task_signals()
        from kelisim.core import registry
        from kelisim.core.models import Region
        from kelisim.core.tasks import flush_outbox

        registry.register_home_figure(
            registry.HomeFigure(
                key="regions",
                label=lambda n: ngettext("region or city", "regions and cities", n),
                value=Region.objects.count,
                order=900,
            )
        )
        registry.register_periodic(registry.PeriodicTask("core.flush_outbox", flush_outbox, every_seconds=60))
        from kelisim.core.sitemaps import HomeSitemap

        registry.register_sitemap(registry.SitemapSection("pages", HomeSitemap, order=0))
