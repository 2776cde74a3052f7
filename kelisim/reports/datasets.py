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
