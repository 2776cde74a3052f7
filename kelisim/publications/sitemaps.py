from django.db.models import Max

from kelisim.core.sitemaps import SectionSitemap
from kelisim.publications.models import Article


class NewsSitemap(SectionSitemap):
    """The news list in every language, and every public article under its own language's address only."""

    pages = ("publications:list",)

    def objects(self):
        return [Article.objects.public().only("slug", "language", "updated_at").order_by("-published_at", "-pk")]

    def languages(self, item):
        return [item.language] if isinstance(item, Article) else super().languages(item)

    def lastmod(self, item):
        return item.updated_at if isinstance(item, Article) else None

    def get_latest_lastmod(self):
        return Article.objects.public().aggregate(latest=Max("updated_at"))["latest"]


# /<lang>/news/sitemap.xml (publications:sitemap) serves the news section alone.
SITEMAPS = {"news": NewsSitemap}
