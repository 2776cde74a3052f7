from kelisim.core.sitemaps import SectionSitemap


class ActivitySitemap(SectionSitemap):
    """The public results: the activities dashboard and the indicators against their targets."""

    pages = ("activities:dashboard", "activities:indicators")
