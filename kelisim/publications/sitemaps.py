from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from kelisim.publications.models import Article


class ArticleSitemap(Sitemap):
    """Every public article under its own language's address; the host comes from SITE_URL, not from
    the sites framework, so that the sitemap is right without any database setup."""

    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Article.objects.public().only("slug", "language", "updated_at").order_by("-published_at", "-pk")

    def lastmod(self, article):
        return article.updated_at

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


SITEMAPS = {"news": ArticleSitemap}
