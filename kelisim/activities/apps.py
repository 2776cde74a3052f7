from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "kelisim.activities"
    label = "activities"
    verbose_name = _("Activity reports")

    def ready(self):
        from kelisim.activities import progress, selectors
        from kelisim.core import registry
        from kelisim.plans import trace
        from kelisim.plans.progress import register_indicator_reader

        registry.register_navigation(registry.NavigationEntry("activities:dashboard", _("Results"), order=60))
        registry.register_home_figure(
            registry.HomeFigure(
                key="verified_activities",
                label=_("verified outreach events"),
                value=selectors.verified_event_count,
                url_name="activities:dashboard",
                order=60,
            )
        )
        # Plan items whose progress follows their indicators read the values computed here.
        register_indicator_reader(progress.indicator_readings)
        trace.register_trace_step(
            trace.TraceStep(
                key="activities",
                template_name="activities/includes/trace_step.html",
                context=selectors.trace_step_context,
                order=40,
            )
        )
        registry.register_object_panel(
            "organisations.organisation",
            registry.ObjectPanel(
                key="activities",
                template_name="activities/includes/organisation_panel.html",
                context=selectors.organisation_panel_context,
                order=40,
            ),
        )
        registry.register_object_panel(
            "funding.contract",
            registry.ObjectPanel(
                key="activities",
                template_name="activities/includes/contract_panel.html",
                context=selectors.contract_panel_context,
                order=40,
            ),
        )
        from kelisim.activities.sitemaps import ActivitySitemap

        registry.register_sitemap(registry.SitemapSection("results", ActivitySitemap, order=60))
