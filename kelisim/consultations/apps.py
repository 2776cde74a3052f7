from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "kelisim.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from kelisim.consultations import datasets

        datasets.register()
        from kelisim.consultations import personal_data
        from kelisim.consultations.models import Suggestion
        from kelisim.consultations.search import SUGGESTION_SEARCH
        from kelisim.core import registry, search

        search.register_search_index(SUGGESTION_SEARCH)

        registry.register_navigation(registry.NavigationEntry("consultations:index", _("Consultation"), order=20))
        registry.register_home_figure(
            registry.HomeFigure(
                key="suggestions",
                label=_("suggestions on the draft programme"),
                value=Suggestion.objects.count,
                url_name="consultations:list",
                order=20,
            )
        )
        registry.register_personal_data("suggestions", personal_data.export_personal_data)
        registry.register_account_eraser("suggestions", personal_data.erase_personal_data)
        from kelisim.consultations.sitemaps import ConsultationSitemap

        registry.register_sitemap(registry.SitemapSection("consultation", ConsultationSitemap, order=20))
