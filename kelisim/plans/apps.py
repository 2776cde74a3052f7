from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class PlansConfig(AppConfig):
    name = "kelisim.plans"
    label = "plans"
    verbose_name = _("Action plan")

    def ready(self):
        from kelisim.plans import datasets

        datasets.register()
        from kelisim.plans import sitesearch

        sitesearch.register()
        from kelisim.plans import notifying

        notifying.register()
        from kelisim.core import registry
        from kelisim.meetings import registry as meeting_registry
        from kelisim.plans import selectors
        from kelisim.plans.models import TrackedItem
        from kelisim.plans.tasks import refresh_indicator_progress

        registry.register_navigation(registry.NavigationEntry("plans:index", _("Action plan"), order=40))
        registry.register_home_figure(
            registry.HomeFigure(
                key="plan_items",
                label=lambda n: ngettext("action plan item", "action plan items", n),
                value=lambda: TrackedItem.objects.filter(first_published_in__isnull=False).count(),
                url_name="plans:index",
                order=40,
            )
        )
        # Items whose progress follows their indicators are recomputed daily (a new year brings new targets).
        registry.register_periodic(
            registry.PeriodicTask("plans.indicator_progress", refresh_indicator_progress, every_seconds=86_400)
        )
        meeting_registry.register_plan_links(
            meeting_registry.PlanLinks(describe=selectors.describe_item_codes, incorporate_url_name="plans:incorporate")
        )
        registry.register_object_panel(
            "consultations.suggestion",
            registry.ObjectPanel(
                key="plan_items",
                template_name="plans/includes/suggestion_panel.html",
                context=selectors.suggestion_panel,
            ),
        )
        from kelisim.plans.sitemaps import PlanSitemap

        registry.register_sitemap(registry.SitemapSection("plan", PlanSitemap, order=40))
