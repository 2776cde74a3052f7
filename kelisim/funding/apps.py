from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class FundingConfig(AppConfig):
    name = "kelisim.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from kelisim.funding import datasets

        datasets.register()
        from kelisim.funding import sitesearch

        sitesearch.register()
        from kelisim.funding import notifying

        notifying.register()
        from kelisim.core import registry
        from kelisim.funding import personal_data, selectors, signals
        from kelisim.plans import registry as trace

        registry.register_navigation(registry.NavigationEntry("funding:index", _("Funding"), order=50))
        registry.register_home_figure(
            registry.HomeFigure(
                key="funding_contracts",
                label=lambda n: ngettext("NGO project under contract", "NGO projects under contract", n),
                value=selectors.home_contract_count,
                url_name="funding:contracts",
                order=50,
            )
        )
        signals.connect()
        from django.core import checks as django_checks

        from kelisim.funding.checks import ocid_prefix_check

        django_checks.register(ocid_prefix_check)
        registry.register_personal_data("funding", personal_data.export_personal_data)
        registry.register_account_eraser("funding", personal_data.erase_personal_data)
        trace.register_trace_step(
            trace.TraceStep(
                key="funding_contracts",
                template_name="funding/includes/trace_step.html",
                context=selectors.contracts_for_plan_items,
                order=30,
            )
        )
        from kelisim.funding.sitemaps import FundingSitemap

        registry.register_sitemap(registry.SitemapSection("funding", FundingSitemap, order=50))
