from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class PublicationsConfig(AppConfig):
    name = "kelisim.publications"
    label = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from kelisim.publications import sitesearch

        sitesearch.register()
        from kelisim.comments.registry import Commentable, register_commentable
        from kelisim.core import registry, search
        from kelisim.publications.models import Article
        from kelisim.publications.search import ARTICLE_SEARCH

        search.register_search_index(ARTICLE_SEARCH)
        from kelisim.publications import personal_data

        registry.register_personal_data("reactions", personal_data.export_personal_data)
        registry.register_account_eraser("reactions", personal_data.erase_personal_data)
        from kelisim.publications.tasks import publish_scheduled_articles

        registry.register_navigation(registry.NavigationEntry("publications:list", _("News"), order=20))
        registry.register_periodic(
            registry.PeriodicTask("publications.scheduled", publish_scheduled_articles, every_seconds=60)
        )
        registry.register_home_figure(
            registry.HomeFigure(
                key="articles",
                label=lambda n: ngettext("news article", "news articles", n),
                value=lambda: Article.objects.public().count(),
                url_name="publications:list",
                order=90,
            )
        )
        register_commentable(
            Commentable(
                model=Article,
                title=lambda article: article.title,
                url=lambda article: article.get_absolute_url(),
                comments_open=lambda article: article.comments_open,
                is_public=lambda article: article.is_readable,
                counter_field="comment_count",
            )
        )
        from kelisim.publications.sitemaps import NewsSitemap

        registry.register_sitemap(registry.SitemapSection("news", NewsSitemap, order=80))
