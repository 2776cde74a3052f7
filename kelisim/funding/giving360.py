"""Awarded grants in the 360Giving Data Standard 1.4: a JSON package and the standard's spreadsheet form.

A grant is a public contract (signed or later) of an approved application: the same rows as the OCDS
releases (``funding.ocds``), with the same organisation identifiers (``KZ-BIN-<BIN>``, org-id.guide's
scheme for Kazakhstan's business identification numbers) and the call as the grant programme.

The spreadsheet form has one row per grant and a column per field, titled as the standard's schema titles
them ("Recipient Org:Identifier", ...), which is how 360Giving's tools read a spreadsheet back into JSON.
Both are built from a fixed number of queries whatever the number of grants.
"""

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from kelisim.funding import ocds
from kelisim.funding.models import Contract

# (JSON path, spreadsheet column title) in the order of the standard's spreadsheet template.
COLUMNS = [
    ("id", "Identifier"),
    ("title", "Title"),
    ("description", "Description"),
    ("currency", "Currency"),
    ("amountAppliedFor", "Amount Applied For"),
    ("amountAwarded", "Amount Awarded"),
    ("awardDate", "Award Date"),
    ("plannedDates/0/startDate", "Planned Dates:Start Date"),
    ("plannedDates/0/endDate", "Planned Dates:End Date"),
    ("recipientOrganization/0/id", "Recipient Org:Identifier"),
    ("recipientOrganization/0/name", "Recipient Org:Name"),
    ("recipientOrganization/0/addressRegion", "Recipient Org:County"),
    ("recipientOrganization/0/addressCountry", "Recipient Org:Country"),
    ("beneficiaryLocation/0/name", "Beneficiary Location:Name"),
    ("beneficiaryLocation/0/countryCode", "Beneficiary Location:Country Code"),
    ("beneficiaryLocation/0/geoCode", "Beneficiary Location:Geographic Code"),
    ("beneficiaryLocation/0/geoCodeType", "Beneficiary Location:Geographic Code Type"),
    ("fundingOrganization/0/id", "Funding Org:Identifier"),
    ("fundingOrganization/0/name", "Funding Org:Name"),
    ("grantProgramme/0/code", "Grant Programme:Code"),
    ("grantProgramme/0/title", "Grant Programme:Title"),
    ("fromOpenCall", "From An Open Call?"),
    ("dateModified", "Last Modified"),
    ("dataSource", "Data Source"),
]


def grant_id(contract: Contract) -> str:
    return f"{settings.KELISIM_360_PREFIX}-{contract.number}"


def funder() -> dict:
    return {"id": ocds.buyer_id(), "name": settings.KELISIM_PUBLISHER_NAME}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def grant(contract: Contract, modified) -> dict:
    application = contract.application
    organisation = application.organisation
    call = application.call
    region = organisation.region
    names = ocds._texts(organisation, "name", "en")
    # 360Giving is read in English: the English wording when the officer has given it, else the original.
    title = ocds._texts(contract, "title", "en")["title"]
    amount_applied = sum(line.amount_kzt for line in application.budget_lines.all())
    data = {
        "id": grant_id(contract),
        "title": title or str(application),
        "description": ocds._texts(contract, "summary", "en")["summary"] or title or str(application),
        "currency": "KZT",
        "amountAwarded": float(contract.amount_kzt),
        "awardDate": timezone.localtime(application.determined_at).date().isoformat()
        if application.determined_at
        else contract.signed_on.isoformat(),
        "plannedDates": [{"startDate": _date(contract.period_start), "endDate": _date(contract.period_end)}],
        "recipientOrganization": [
            {
                "id": ocds.org_id(organisation.bin),
                "name": names["name"] or organisation.name,
                "addressRegion": region.name_en,
                "addressCountry": "KZ",
            }
        ],
        "beneficiaryLocation": [
            {"name": region.name_en, "countryCode": "KZ", "geoCode": region.code, "geoCodeType": "ISO3166-2"}
        ],
        "fundingOrganization": [funder()],
        "grantProgramme": [{"code": call.reference, "title": ocds._texts(call, "title", "en")["title"]}],
        "fromOpenCall": "Yes",
        "dateModified": timezone.localtime(modified or contract.updated_at).isoformat(),
        "dataSource": ocds.absolute(contract.get_absolute_url()),
    }
    if amount_applied:
        data["amountAppliedFor"] = float(amount_applied)
    return data


def grants() -> Iterator[dict]:
    """Every awarded grant, oldest contract first, each dated by its latest OCDS release."""
    contracts = (
        ocds.contract_queryset().prefetch_related("application__budget_lines").annotate(modified=Max("releases__date"))
    )
    for contract in contracts.iterator(chunk_size=ocds.CHUNK):
        yield grant(contract, contract.modified)


def package_stream(uri: str = "") -> Iterator[str]:
    """The JSON package: ``{"grants": [...]}`` with the standard's optional metadata, one grant at a time."""
    head = {
        "version": "1.4",
        "title": "Kelisim grants",
        "publisher": {"name": settings.KELISIM_PUBLISHER_NAME},
        "license": ocds.LICENSE,
        "accessURL": uri or ocds.absolute(reverse("funding:giving360_json")),
    }
    return ocds._stream(head, "grants", grants())


def _cell(data: dict, path: str):
    value = data
    for part in path.split("/"):
        if value is None:
            return None
        value = value[int(part)] if part.isdigit() else value.get(part)
    return value


def spreadsheet_rows() -> Iterator[list]:
    for data in grants():
        yield [_cell(data, path) for path, _title in COLUMNS]


def spreadsheet_header() -> list[str]:
    return [title for _path, title in COLUMNS]
