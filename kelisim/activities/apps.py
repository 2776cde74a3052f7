from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ActivitiesConfig(AppConfig):
    name = "kelisim.activities"
    label = "activities"
    verbose_name = _("Activity reports")

    def ready(self):
        from kelisim.activities import datasets

        datasets.register()
        from kelisim.activities import notifying

        notifying.register()
        from kelisim.activities import progress, selectors
        from kelisim.core import registry
        from kelisim.plans import registry as plan_registry

        registry.register_navigation(registry.NavigationEntry("activities:dashboard", _("Results"), order=60))
        registry.register_home_figure(
            registry.HomeFigure(
                key="verified_activities",
                label=lambda n: ngettext("verified outreach event", "verified outreach events", n),
                value=selectors.verified_event_count,
                url_name="activities:dashboard",
                order=60,
            )
        )
        # Plan items whose progress follows their indicators read the values computed here.
        plan_registry.register_indicator_reader(progress.indicator_readings)
        plan_registry.register_trace_step(
            plan_registry.TraceStep(
                key="activities",
                template_name="activities/includes/trace_step.html",
                context=selectors.trace_step_context,
                order=40,
            )
        )
        # The organisation's public page and a contract's page show the verified activities behind them.
        for model, template_name, context in (
            ("organisations.organisation", "organisation_panel", selectors.organisation_panel_context),
            ("funding.contract", "contract_panel", selectors.contract_panel_context),
        ):
            registry.register_object_panel(
                model,
                registry.ObjectPanel(
                    key="activities",
                    template_name=f"activities/includes/{template_name}.html",
                    context=context,
                    order=40,
                ),
            )
        from kelisim.activities.sitemaps import ActivitySitemap

        registry.register_sitemap(registry.SitemapSection("results", ActivitySitemap, order=60))
