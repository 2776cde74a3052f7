from kelisim.core.sitemaps import SectionSitemap
from kelisim.meetings.models import Roundtable


class RoundtableSitemap(SectionSitemap):
    """Roundtables, scheduled and held (a cancelled one stays readable but is not worth a search engine's visit)."""

    pages = ("meetings:list",)

    def objects(self):
        return [Roundtable.objects.exclude(status=Roundtable.Status.CANCELLED).only("pk").order_by("-starts_at", "-pk")]
