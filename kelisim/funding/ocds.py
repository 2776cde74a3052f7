"""Contracts as Open Contracting Data Standard 1.1 releases and records.

One contracting process per contract: the call is its tender, the approved application its award,
the contract (with milestones and amendments) its contract. The ocid is the configurable prefix
(``KELISIM_OCID_PREFIX``, default "ocds-kelisim") and the contract number.

Bulk packages are generators: contracts are read in chunks and each release is serialised and
yielded on its own, so memory stays flat whatever the number of contracts.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Contract, Milestone

OCDS_VERSION = "1.1"
SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema" / "1__1__5"
SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
CHUNK = 500

CONTRACT_STATUS = {
    Contract.Status.DRAFT: "pending",
    Contract.Status.SIGNED: "active",
    Contract.Status.ACTIVE: "active",
    Contract.Status.SUSPENDED: "active",
    Contract.Status.COMPLETED: "terminated",
    Contract.Status.TERMINATED: "terminated",
}
MILESTONE_STATUS = {
    Milestone.Status.PENDING: "scheduled",
    Milestone.Status.REPORTED: "scheduled",
    Milestone.Status.RETURNED: "scheduled",
    Milestone.Status.ACCEPTED: "met",
}


def ocid_prefix() -> str:
    return getattr(settings, "KELISIM_OCID_PREFIX", "ocds-kelisim")


def ocid_for(contract: Contract) -> str:
    return f"{ocid_prefix()}-{contract.number}"


def _datetime(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min)).isoformat()
    raise TypeError(value)


def _money(amount: Decimal | None) -> dict:
    return {"amount": float(amount or 0), "currency": "KZT"}


def publisher() -> dict:
    return {"name": getattr(settings, "KELISIM_OCDS_PUBLISHER", "Kelisim programme office")}


def _buyer() -> dict:
    return {"id": "KZ-KELISIM-PO", "name": publisher()["name"]}


def contract_queryset() -> QuerySet[Contract]:
    """Public contracts with everything a release needs, in a fixed number of queries per chunk."""
    return (
        Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES)
        .select_related("application__organisation__region", "application__call")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "position", "pk")),
            "amendments",
            "plan_items",
        )
        .order_by("pk")
    )


def _tag(contract: Contract) -> list[str]:
    if contract.status in (Contract.Status.ACTIVE, Contract.Status.SUSPENDED, Contract.Status.COMPLETED):
        return ["implementation"]
    if contract.version > 1:
        return ["contractAmendment"]
    if contract.status == Contract.Status.TERMINATED:
        return ["contractTermination"]
    return ["contract"]


def _milestones(contract: Contract) -> list[dict]:
    return [
        {
            "id": f"{contract.number}-m{milestone.pk}",
            "title": milestone.title,
            "description": milestone.deliverables,
            "type": "delivery",
            "dueDate": _datetime(milestone.due_date),
            "dateMet": _datetime(milestone.accepted_at),
            "status": MILESTONE_STATUS[milestone.status],
            "value": _money(milestone.tranche_kzt),
        }
        for milestone in contract.milestones.all()
    ]


def _amendments(contract: Contract) -> list[dict]:
    return [
        {
            "id": f"{contract.number}-v{amendment.version}",
            "date": _datetime(amendment.created_at),
            "rationale": amendment.reason,
            "description": "; ".join(
                f"{name}: {change['from']} -> {change['to']}" for name, change in amendment.changes.items()
            ),
        }
        for amendment in contract.amendments.all()
    ]


def _contract(contract: Contract) -> dict:
    application = contract.application
    milestones = _milestones(contract)
    ocds_contract = {
        "id": contract.number,
        "awardID": f"{contract.number}-award",
        "title": application.title,
        "description": application.summary,
        "status": CONTRACT_STATUS[contract.status],
        "statusDetails": contract.status,
        "period": {"startDate": _datetime(contract.period_start), "endDate": _datetime(contract.period_end)},
        "value": _money(contract.amount_kzt),
        "dateSigned": _datetime(contract.signed_on),
        "milestones": milestones,
        "implementation": {"milestones": [m for m in milestones if m["status"] == "met"]},
    }
    amendments = _amendments(contract)
    if amendments:
        ocds_contract["amendments"] = amendments
    return ocds_contract


def _supplier(organisation) -> dict:
    return {
        "id": f"KZ-BIN-{organisation.bin}",
        "name": organisation.name_ru or organisation.name,
        "identifier": {
            "scheme": "KZ-BIN",
            "id": organisation.bin,
            "legalName": organisation.name_ru or organisation.name,
        },
        "address": {"region": organisation.region.name_en, "countryName": "Kazakhstan"},
        "roles": ["supplier", "tenderer"],
    }


def _tender(call) -> dict:
    return {
        "id": call.reference,
        "title": call.title_ru or call.title,
        "description": call.description_ru or call.description,
        "status": "complete" if timezone.now() >= call.closes_at else "active",
        "procurementMethod": "open",
        "procurementMethodDetails": "Call for proposals",
        "mainProcurementCategory": "services",
        "value": _money(call.budget_kzt),
        "minValue": _money(call.min_award_kzt),
        "tenderPeriod": {"startDate": _datetime(call.opens_at), "endDate": _datetime(call.closes_at)},
    }


def _award(contract: Contract) -> dict:
    application = contract.application
    organisation = application.organisation
    return {
        "id": f"{contract.number}-award",
        "title": application.title,
        "status": "active",
        "date": _datetime(application.determined_at),
        "value": _money(application.approved_amount_kzt),
        "suppliers": [{"id": f"KZ-BIN-{organisation.bin}", "name": organisation.name_ru or organisation.name}],
    }


def release(contract: Contract) -> dict:
    """The current state of the contract's process as one release (tag contract, amendment or implementation)."""
    call = contract.application.call
    ocid = ocid_for(contract)
    return {
        "ocid": ocid,
        "id": f"{ocid}-v{contract.version}-{contract.status}",
        "date": _datetime(contract.updated_at),
        "tag": _tag(contract),
        "initiationType": "tender",
        "language": "ru",
        "parties": [{**_buyer(), "roles": ["buyer", "procuringEntity"]}, _supplier(contract.application.organisation)],
        "buyer": _buyer(),
        "planning": {
            "rationale": ", ".join(item.code for item in contract.plan_items.all()) or None,
            "budget": {"description": call.title_ru or call.title, "amount": _money(call.budget_kzt)},
        },
        "tender": _tender(call),
        "awards": [_award(contract)],
        "contracts": [_contract(contract)],
    }


def record(contract: Contract) -> dict:
    current = release(contract)
    compiled = {**current, "id": f"{current['ocid']}-{current['date']}", "tag": ["compiled"]}
    return {"ocid": current["ocid"], "releases": [current], "compiledRelease": compiled}


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _package_head(uri: str, published) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publisher": publisher(),
        "license": LICENSE,
        "publishedDate": _datetime(published or timezone.now()),
    }


def _stream(head: dict, key: str, contracts: Iterable[Contract], build) -> Iterator[str]:
    """``{head..., "<key>": [item, item, ...]}`` one item at a time."""
    yield _dumps(head)[:-1] + f',"{key}":['
    first = True
    for contract in contracts:
        yield ("" if first else ",") + _dumps(build(contract))
        first = False
    yield "]}"


def _chunked(queryset: QuerySet[Contract]) -> Iterator[Contract]:
    return queryset.iterator(chunk_size=CHUNK)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def release_package_stream(queryset: QuerySet[Contract] | None = None, uri: str = "") -> Iterator[str]:
    queryset = contract_queryset() if queryset is None else queryset
    published = queryset.aggregate(latest=Max("updated_at"))["latest"]
    uri = uri or absolute(reverse("funding:ocds_releases"))
    return _stream(_package_head(uri, published), "releases", _chunked(queryset), release)


def record_package_stream(queryset: QuerySet[Contract] | None = None, uri: str = "") -> Iterator[str]:
    queryset = contract_queryset() if queryset is None else queryset
    published = queryset.aggregate(latest=Max("updated_at"))["latest"]
    uri = uri or absolute(reverse("funding:ocds_records"))
    return _stream(_package_head(uri, published), "records", _chunked(queryset), record)


# --- Validation against the shipped official schema ------------------------------------------------


@lru_cache(maxsize=1)
def _registry():
    from referencing import Registry, Resource

    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((SCHEMA_BASE + path.name, Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def validator(kind: str):
    """A draft-4 validator for "release-package" or "record-package"; $refs resolve to the shipped files only."""
    from jsonschema import Draft4Validator, FormatChecker

    schema = json.loads((SCHEMA_DIR / f"{kind}-schema.json").read_text(encoding="utf-8"))
    return Draft4Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validation_errors(package: dict, kind: str) -> list[str]:
    return [
        f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
        for error in validator(kind).iter_errors(package)
    ]
