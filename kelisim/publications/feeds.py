from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kelisim.core.i18n import active_language
from kelisim.publications.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    """RSS 2.0 of the latest articles in the language of the address (/kk/, /ru/, /en/)."""

    def __call__(self, request, *args, **kwargs):
        self.language = active_language()
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Kelisim news")

    def description(self):
        return _("News of the national prevention programme, made together with civil society.")

    # Absolute addresses from SITE_URL: the syndication framework would otherwise use the sites
    # framework's domain.
    def link(self):
        return settings.SITE_URL + reverse("publications:list")

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def feed_url(self):
        return settings.SITE_URL + reverse("publications:rss")

    def items(self):
        return (
            Article.objects.public().filter(language=self.language).prefetch_related("tags")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )  # fmt: skip

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()

    def feed_url(self):
        return settings.SITE_URL + reverse("publications:atom")
