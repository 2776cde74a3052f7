from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "kelisim.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from kelisim.core import registry, search
        from kelisim.organisations import selectors, services
        from kelisim.organisations.expert_services import register_expert_extensions
        from kelisim.organisations.models import ORGANISATION_SEARCH, Expert, Organisation

        search.register(ORGANISATION_SEARCH)
        register_expert_extensions()
        registry.register_navigation(registry.NavigationEntry("organisations:list", _("Organisations"), order=70))
        registry.register_navigation(registry.NavigationEntry("organisations:expert_list", _("Experts"), order=75))
        registry.register_home_figure(
            registry.HomeFigure(
                key="organisations",
                label=_("organisations in the registry"),
                value=Organisation.objects.filter(kind=Organisation.Kind.NGO).count,
                url_name="organisations:list",
                order=70,
            )
        )
        registry.register_home_figure(
            registry.HomeFigure(
                key="experts",
                label=_("listed experts and lecturers"),
                value=Expert.objects.filter(is_listed=True).count,
                url_name="organisations:expert_list",
                order=75,
            )
        )
        registry.register_profile_section(
            registry.ProfileSection(
                key="organisations",
                template_name="organisations/profile_section.html",
                context=selectors.profile_section_context,
                order=30,
            )
        )
        registry.register_personal_data("organisation_memberships", selectors.export_memberships)
        registry.register_account_eraser("organisation_memberships", services.erase_memberships)
        from kelisim.organisations.sitemaps import OrganisationSitemap

        registry.register_sitemap(registry.SitemapSection("organisations", OrganisationSitemap, order=70))
