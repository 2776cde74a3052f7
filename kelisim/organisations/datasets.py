"""The organisation registry in the data catalogue (``core.registry.register_dataset``)."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kelisim.core.registry import Column, Dataset, Distribution, register_dataset


def _columns() -> tuple[Column, ...]:
    from kelisim.organisations.importing.columns import COLUMNS
    from kelisim.organisations.selectors import EXPORT_COLUMNS

    helps = {column.name: column.help for column in COLUMNS}
    helps["verification_status"] = _("Verification by the programme office: unverified, pending, verified, refused.")
    return tuple(Column(name, helps[name]) for name in EXPORT_COLUMNS)


def register() -> None:
    from kelisim.organisations.models import Organisation

    register_dataset(
        Dataset(
            key="organisations",
            title=_("Registry of NGOs"),
            description=_(
                "The organisations registered on Kelisim with their BIN, region, strands and public contacts."
            ),
            distributions=lambda: [Distribution(reverse("organisations:export"), "text/csv", "CSV")],
            modified=lambda: Organisation.objects.aggregate(latest=Max("updated_at"))["latest"],
            columns=_columns(),
            keywords=("NGO", "BIN"),
            order=20,
        )
    )
