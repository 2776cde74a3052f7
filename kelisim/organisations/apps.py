from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class OrganisationsConfig(AppConfig):
    name = "kelisim.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from kelisim.organisations import datasets

        datasets.register()
        from kelisim.organisations import sitesearch

        sitesearch.register()
        from kelisim.organisations import notifying

        notifying.register()
        from kelisim.core import registry, search
        from kelisim.organisations import personal_data
        from kelisim.organisations.models import ORGANISATION_SEARCH
        from kelisim.organisations.sitemaps import OrganisationSitemap

        search.register_search_index(ORGANISATION_SEARCH)
        registry.register_navigation(registry.NavigationEntry("organisations:list", _("Organisations"), order=70))
        registry.register_navigation(registry.NavigationEntry("organisations:expert_list", _("Experts"), order=75))
        _register_home_figures(registry)
        _register_profile_sections(registry)
        registry.register_personal_data("organisation_memberships", personal_data.export_memberships)
        registry.register_account_eraser("organisation_memberships", personal_data.erase_memberships)
        registry.register_personal_data("expert_profile", personal_data.export_expert_profile)
        registry.register_account_eraser("expert_profile", personal_data.erase_expert_profile)
        registry.register_sitemap(registry.SitemapSection("organisations", OrganisationSitemap, order=70))


def _register_home_figures(registry) -> None:
    from kelisim.organisations.models import Expert
    from kelisim.organisations.selectors import public_organisations

    registry.register_home_figure(
        registry.HomeFigure(
            key="organisations",
            label=lambda n: ngettext("organisation in the registry", "organisations in the registry", n),
            value=lambda: public_organisations().count(),  # what the registry lists, all kinds
            url_name="organisations:list",
            order=70,
        )
    )
    registry.register_home_figure(
        registry.HomeFigure(
            key="experts",
            label=lambda n: ngettext("listed expert or lecturer", "listed experts and lecturers", n),
            value=Expert.objects.filter(is_listed=True).count,
            url_name="organisations:expert_list",
            order=75,
        )
    )


def _register_profile_sections(registry) -> None:
    from kelisim.organisations import expert_selectors, selectors

    registry.register_profile_section(
        registry.ProfileSection(
            key="organisations",
            template_name="organisations/profile_section.html",
            context=selectors.profile_section_context,
            order=30,
        )
    )
    registry.register_profile_section(
        registry.ProfileSection(
            key="expert_profile",
            template_name="organisations/experts/profile_section.html",
            context=lambda request: {"own_expert": expert_selectors.expert_for_user(request.user)},
            order=60,
        )
    )
