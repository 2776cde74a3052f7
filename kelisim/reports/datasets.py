"""The yearly implementation reports in the data catalogue (``core.registry.register_dataset``)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Dataset, Distribution, register_dataset

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register() -> None:
    from kelisim.activities.models import ActivityReport
    from kelisim.activities.selectors import available_years
    from kelisim.funding.models import Contract
    from kelisim.plans.models import ProgressUpdate

    def distributions() -> list[Distribution]:
        files = []
        for year in available_years():
            title = str(year)
            files.append(Distribution(reverse("reports:yearly_xlsx", args=[year]), XLSX, "XLSX", title))
            files.append(Distribution(reverse("reports:yearly_pdf", args=[year]), "application/pdf", "PDF", title))
        return files

    def modified():
        values = [
            ActivityReport.objects.aggregate(latest=Max("verified_at"))["latest"],
            ProgressUpdate.objects.aggregate(latest=Max("created_at"))["latest"],
            Contract.objects.aggregate(latest=Max("updated_at"))["latest"],
        ]
        return max((value for value in values if value), default=None)

    from kelisim.consultations.models import DocumentVersion, Suggestion

    def consultation_files() -> list[Distribution]:
        versions = DocumentVersion.objects.filter(is_published=True).select_related("document")
        return [
            Distribution(
                reverse("reports:consultation_pdf", args=[version.document.slug, version.number]),
                "application/pdf",
                "PDF",
                f"{version.document.slug} v{version.number}",
            )
            for version in versions.order_by("document__slug", "number")
        ]

    register_dataset(
        Dataset(
            key="consultation-reports",
            title=_("Consultation reports"),
            description=_("For each consulted version: what people suggested, how it was answered, what it changed."),
            distributions=consultation_files,
            modified=lambda: Suggestion.objects.aggregate(latest=Max("answered_at"))["latest"],
            keywords=("consultation", "report"),
            order=69,
        )
    )
    register_dataset(
        Dataset(
            key="implementation-reports",
            title=_("Yearly implementation reports"),
            description=_(
                "For each programme year: indicators against targets, contracts and amounts, activities and "
                "participants by region and strand, plan items by status with their progress notes."
            ),
            distributions=distributions,
            modified=modified,
            keywords=("report",),
            order=70,
        )
    )
