"""Activities in the data catalogue (``core.registry.register_dataset``): the dashboard's table and IATI."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Column, Dataset, Distribution, register_dataset

DASHBOARD_COLUMNS = (
    Column(
        "region_code",
        _(
            "Code of the row: the region's ISO 3166-2:KZ code; with by=strand, by=organisation, by=type or by=period "
            "the column is strand_code, organisation_code (BIN), type_code or period_code (2017, 2017-Q2, 2017-05)."
        ),
    ),
    Column(_("Region"), _("Name of the row in the language of the page.")),
    Column(_("Events"), _("Verified activities.")),
    Column(
        _("Participants"),
        _("People who attended; a count of 1 to 4 is shown as <5, and a cell that would reveal one as …"),
    ),
    Column(_("Other columns"), _("Young people aged 14–29, inmates and online views, under the same rule.")),
)


def register() -> None:
    from kelisim.activities.models import ActivityReport

    def modified():
        return ActivityReport.objects.aggregate(latest=Max("verified_at"))["latest"]

    register_dataset(
        Dataset(
            key="activities",
            title=_("Outreach activities by region"),
            description=_("Verified activities and participants by region (or strand, period, organisation, type)."),
            distributions=lambda: [
                Distribution(reverse("activities:dashboard_export", args=["csv"]), "text/csv", "CSV"),
                Distribution(
                    reverse("activities:dashboard_export", args=["xlsx"]),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "XLSX",
                ),
            ],
            modified=modified,
            columns=DASHBOARD_COLUMNS,
            keywords=("activities", "regions"),
            order=60,
        )
    )
    register_dataset(
        Dataset(
            key="activities-iati",
            title=_("Contracts and results (IATI)"),
            description=_("Each contract as an IATI 2.03 activity with the indicator values it serves."),
            distributions=lambda: [
                Distribution(reverse("activities:iati_activities"), "application/xml", "XML"),
            ],
            modified=modified,
            conforms_to="https://iatistandard.org/en/iati-standard/203/",
            keywords=("IATI", "results"),
            order=61,
        )
    )
