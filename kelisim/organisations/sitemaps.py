from kelisim.core.sitemaps import SectionSitemap
from kelisim.organisations import selectors


class OrganisationSitemap(SectionSitemap):
    """The registry and every organisation the public may see (excluded ones are not listed)."""

    pages = ("organisations:list",)

    def objects(self):
        return [selectors.public_organisations().only("pk").order_by("pk")]
