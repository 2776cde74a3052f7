from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ConsultationsConfig(AppConfig):
    name = "kelisim.consultations"
    label = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from kelisim.consultations import datasets

        datasets.register()
        from kelisim.consultations import personal_data, sitesearch

        sitesearch.register()
        from kelisim.consultations import notifying

        notifying.register()
        from kelisim.consultations import selectors
        from kelisim.consultations.search import SUGGESTION_SEARCH
        from kelisim.core import registry, search

        search.register_search_index(SUGGESTION_SEARCH)
        from kelisim.comments.registry import Commentable, register_commentable
        from kelisim.consultations.models import Suggestion

        # People discuss a published suggestion under it; a merged one sends its readers to the one it joined.
        register_commentable(
            Commentable(
                model=Suggestion,
                title=lambda suggestion: f"{suggestion.reference} — {suggestion.display_title}",
                url=lambda suggestion: suggestion.get_absolute_url(),
                comments_open=lambda suggestion: suggestion.version.is_published and not suggestion.merged_into_id,
                is_public=lambda suggestion: suggestion.version.is_published,
                counter_field="comment_count",
            )
        )

        registry.register_navigation(registry.NavigationEntry("consultations:index", _("Consultation"), order=20))
        registry.register_home_figure(
            registry.HomeFigure(
                key="suggestions",
                label=lambda n: ngettext("suggestion on the draft programme", "suggestions on the draft programme", n),
                value=lambda: selectors.public_suggestions().count(),  # what the list shows
                url_name="consultations:list",
                order=20,
            )
        )
        registry.register_personal_data("suggestions", personal_data.export_personal_data)
        registry.register_account_eraser("suggestions", personal_data.erase_personal_data)
        from kelisim.consultations.sitemaps import ConsultationSitemap

        registry.register_sitemap(registry.SitemapSection("consultation", ConsultationSitemap, order=20))
        from django.conf import settings

        from kelisim.consultations.tasks import read_intake_mailbox

        registry.register_periodic(
            registry.PeriodicTask(
                "consultations.email_intake", read_intake_mailbox, every_seconds=settings.EMAIL_INTAKE_EVERY_SECONDS
            )
        )
