from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "kelisim.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from kelisim.core import registry
        from kelisim.organisations.models import Expert, Organisation

        registry.register_navigation(registry.NavigationEntry("organisations:list", _("Organisations"), order=70))
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
                order=75,
            )
        )
