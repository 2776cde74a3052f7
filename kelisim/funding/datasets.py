"""Contracts in the data catalogue (``core.registry.register_dataset``): OCDS and 360Giving. Their columns are
documented by the standards' schemas."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Dataset, Distribution, register_dataset


def register() -> None:
    from kelisim.funding.models import Release

    def modified():
        return Release.objects.aggregate(latest=Max("date"))["latest"]

    register_dataset(
        Dataset(
            key="contracts-ocds",
            title=_("Contracts (Open Contracting Data Standard)"),
            description=_("Every release of every public contract, and a record per contract, in OCDS 1.1."),
            distributions=lambda: [
                Distribution(reverse("funding:ocds_releases"), "application/json", "JSON", _("release package")),
                Distribution(reverse("funding:ocds_records"), "application/json", "JSON", _("record package")),
            ],
            modified=modified,
            conforms_to="https://standard.open-contracting.org/1.1/",
            keywords=("OCDS", "contracts"),
            order=50,
        )
    )
    register_dataset(
        Dataset(
            key="grants-360giving",
            title=_("Grants (360Giving)"),
            description=_("Awarded grants in the 360Giving Data Standard 1.4, as JSON and in its spreadsheet form."),
            distributions=lambda: [
                Distribution(reverse("funding:giving360_json"), "application/json", "JSON"),
                Distribution(
                    reverse("funding:giving360_xlsx"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "XLSX",
                ),
                Distribution(reverse("funding:giving360_csv"), "text/csv", "CSV"),
            ],
            modified=modified,
            conforms_to="https://standard.threesixtygiving.org/en/1.4.3/",
            keywords=("360Giving", "grants"),
            order=51,
        )
    )
