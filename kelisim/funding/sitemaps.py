from kelisim.core.sitemaps import SectionSitemap
from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Call, Contract


class FundingSitemap(SectionSitemap):
    """Published calls for proposals and the public register of contracts (signed or later; drafts never)."""

    pages = ("funding:index", "funding:contracts")

    def objects(self):
        return [
            Call.objects.filter(status=Call.Status.PUBLISHED).only("reference").order_by("-opens_at", "pk"),
            Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES).only("number").order_by("number"),
        ]
