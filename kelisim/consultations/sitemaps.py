from django.db.models import Exists, OuterRef

from kelisim.consultations.models import Document, DocumentVersion
from kelisim.core.sitemaps import SectionSitemap


class ConsultationSitemap(SectionSitemap):
    """The consultation, the list of suggestions and every document with a published version."""

    pages = ("consultations:index", "consultations:list", "consultations:statistics")

    def objects(self):
        published = DocumentVersion.objects.filter(document=OuterRef("pk"), is_published=True)
        return [Document.objects.filter(Exists(published)).only("slug").order_by("pk")]
