"""Contracts as Open Contracting Data Standard 1.1 releases and records.

One contracting process per contract: the call is its tender, the approved application its award,
the contract (with milestones and amendments) its contract. The ocid is the publisher's registered
prefix (``settings.KELISIM_OCID_PREFIX``: register yours with the OCDS helpdesk) and the contract number.

Releases track change. ``content(contract)`` builds what a release says now; after each change the
funding services publish a new :class:`~kelisim.funding.models.Release` (``services.publish_release``)
when that content differs from the last release's, with a new id (``<ocid>-r<sequence>``) and the date
of the change. Published releases are kept unchanged: the release package lists every one, the record
package every release of a process and the compiled release (the OCDS merge of them all, in order).

Language: a release is in the language its free text is written in (the application's title and summary);
texts Kelisim holds in the three languages (call title and description, organisation names, the contract's title
and summary, its milestones) are given in
that language and, as the standard allows, in the others as ``title_kk``, ``name_en``, ...

Bulk packages are generators: releases are read in chunks and each is written on its own, so memory stays
flat whatever the number of contracts; a package costs a fixed number of queries.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.db.models import Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from kelisim.consultations.text import detect_language
from kelisim.core import standards
from kelisim.funding.models import PUBLIC_CONTRACT_STATUSES, Contract, Milestone, Release

OCDS_VERSION = "1.1"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LANGUAGES = ("kk", "ru", "en")
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
IMPLEMENTING = (Contract.Status.ACTIVE, Contract.Status.SUSPENDED, Contract.Status.COMPLETED)


def ocid_prefix() -> str:
    return settings.KELISIM_OCID_PREFIX


def ocid_for(contract: Contract) -> str:
    return f"{ocid_prefix()}-{contract.number}"


def org_id(bin_: str) -> str:
    """The organisation identifier shared by the OCDS, 360Giving and IATI exports (org-id.guide scheme KZ-BIN)."""
    return f"KZ-BIN-{bin_}"


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


def _texts(obj, base: str, language: str, key: str | None = None) -> dict:
    """``{key: text in ``language`` (else the first filled one), key_xx: the other filled languages}``."""
    key = key or base
    values = {code: (getattr(obj, f"{base}_{code}", "") or "").strip() for code in LANGUAGES}
    main = values[language] or next((values[code] for code in ("ru", "kk", "en") if values[code]), "")
    out = {key: main}
    out.update({f"{key}_{code}": text for code, text in values.items() if text and code != language})
    return out


def publisher() -> dict:
    return {"name": settings.KELISIM_PUBLISHER_NAME}


def buyer_id() -> str:
    return org_id(settings.KELISIM_PUBLISHER_BIN) if settings.KELISIM_PUBLISHER_BIN else "KZ-KELISIM-PO"


def _buyer() -> dict:
    return {"id": buyer_id(), "name": settings.KELISIM_PUBLISHER_NAME}


def contract_queryset() -> QuerySet[Contract]:
    """Public contracts with everything a release needs, in a fixed number of queries."""
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


def language_of(contract: Contract) -> str:
    """The language the organisation wrote its application in, which the contract's title and summary were
    first given in."""
    application = contract.application
    return detect_language(f"{application.title} {application.summary}")


def _milestones(contract: Contract, language: str) -> list[dict]:
    return [
        {
            "id": f"{contract.number}-m{milestone.pk}",
            **_texts(milestone, "title", language),
            **_texts(milestone, "deliverables", language, key="description"),
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


def _contract(contract: Contract, language: str) -> dict:
    ocds_contract = {
        "id": contract.number,
        "awardID": f"{contract.number}-award",
        **_texts(contract, "title", language),
        **_texts(contract, "summary", language, key="description"),
        "status": CONTRACT_STATUS[contract.status],
        "statusDetails": contract.status,
        "period": {"startDate": _datetime(contract.period_start), "endDate": _datetime(contract.period_end)},
        "value": _money(contract.amount_kzt),
        "dateSigned": _datetime(contract.signed_on),
        "milestones": _milestones(contract, language),
    }
    amendments = _amendments(contract)
    if amendments:
        ocds_contract["amendments"] = amendments
    return ocds_contract


def _supplier(organisation, language: str) -> dict:
    names = _texts(organisation, "name", language)
    if not names["name"]:
        names["name"] = organisation.name
    return {
        "id": org_id(organisation.bin),
        **names,
        "identifier": {"scheme": "KZ-BIN", "id": organisation.bin, "legalName": names["name"]},
        "address": {
            "region": getattr(organisation.region, f"name_{language}") or organisation.region.name_en,
            "countryName": "Kazakhstan",
        },
        "roles": ["supplier", "tenderer"],
    }


def _tender(call, language: str) -> dict:
    return {
        "id": call.reference,
        **_texts(call, "title", language),
        **_texts(call, "description", language),
        "status": "complete",
        "procurementMethod": "open",
        "procurementMethodDetails": "Call for proposals",
        "mainProcurementCategory": "services",
        "value": _money(call.budget_kzt),
        "minValue": _money(call.min_award_kzt),
        "tenderPeriod": {"startDate": _datetime(call.opens_at), "endDate": _datetime(call.closes_at)},
    }


def _award(contract: Contract, language: str) -> dict:
    application = contract.application
    organisation = application.organisation
    supplier = _supplier(organisation, language)
    return {
        "id": f"{contract.number}-award",
        **_texts(contract, "title", language),
        "status": "active",
        "date": _datetime(application.determined_at),
        "value": _money(application.approved_amount_kzt),
        "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
    }


def content(contract: Contract) -> dict:
    """What a release of the contract's process says now, without its id, date and tag."""
    call = contract.application.call
    language = language_of(contract)
    budget_title = _texts(call, "title", language)["title"]
    return {
        "ocid": ocid_for(contract),
        "initiationType": "tender",
        "language": language,
        "parties": [
            {**_buyer(), "roles": ["buyer", "procuringEntity"]},
            _supplier(contract.application.organisation, language),
        ],
        "buyer": _buyer(),
        "planning": {
            "rationale": ", ".join(item.code for item in contract.plan_items.all()) or None,
            "budget": {"description": budget_title, "amount": _money(call.budget_kzt)},
        },
        "tender": _tender(call, language),
        "awards": [_award(contract, language)],
        "contracts": [_contract(contract, language)],
    }


def content_hash(data: dict) -> str:
    public = {key: value for key, value in data.items() if key not in ("id", "date", "tag")}
    return hashlib.sha256(json.dumps(public, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def tag_for(contract: Contract, previous: dict | None) -> list[str]:
    """The release tag from what changed since the previous release of the process."""
    if previous is None:
        return ["tender", "award", "contract"] + (["implementation"] if contract.status in IMPLEMENTING else [])
    before = previous["contracts"][0]
    if contract.status == Contract.Status.TERMINATED:
        return ["contractTermination"]
    if len(before.get("amendments", [])) < contract.version - 1:
        return ["contractAmendment"]
    if contract.status in IMPLEMENTING:
        return ["implementationUpdate"] if before["statusDetails"] in IMPLEMENTING else ["implementation"]
    return ["contractUpdate"]


def release_id(ocid: str, sequence: int) -> str:
    return f"{ocid}-r{sequence}"


def as_release(data: dict, *, sequence: int, date: datetime, tag: list[str]) -> dict:
    """The published release: ``content`` with its id, date and tag."""
    identifier = release_id(data["ocid"], sequence)
    head = {"ocid": data["ocid"], "id": identifier, "date": _datetime(date), "tag": tag}
    return {**head, **{key: value for key, value in data.items() if key != "ocid"}}


# --- The OCDS merge: a compiled release from a process's releases -------------------------------------


def _merge(target: dict, source: dict) -> dict:
    """Merge ``source`` into ``target`` by the OCDS merge routine: objects field by field, arrays of objects
    with ids item by id, any other value replaced (null removes the field)."""
    for key, value in source.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            target[key] = _merge(dict(target.get(key) or {}), value)
        elif isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value):
            merged = {item["id"]: item for item in (target.get(key) or []) if isinstance(item, dict)}
            for item in value:
                merged[item["id"]] = _merge(dict(merged.get(item["id"], {})), item)
            target[key] = list(merged.values())
        else:
            target[key] = value
    return target


def compile_releases(releases: list[dict]) -> dict:
    """``releases`` in the order they were published."""
    compiled: dict = {}
    for release in releases:
        compiled = _merge(compiled, release)
    latest = releases[-1]
    compiled.update(id=f"{latest['id']}-compiled", date=latest["date"], tag=["compiled"])
    return compiled


def record(releases: list[dict]) -> dict:
    return {"ocid": releases[0]["ocid"], "releases": releases, "compiledRelease": compile_releases(releases)}


# --- Packages -----------------------------------------------------------------------------------------


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


def _stream(head: dict, key: str, items: Iterable[dict]) -> Iterator[str]:
    """``{head..., "<key>": [item, item, ...]}`` one item at a time."""
    yield _dumps(head)[:-1] + f',"{key}":['
    first = True
    for item in items:
        yield ("" if first else ",") + _dumps(item)
        first = False
    yield "]}"


def releases_of(contracts: QuerySet[Contract] | None = None) -> QuerySet[Release]:
    contracts = contract_queryset() if contracts is None else contracts
    return Release.objects.filter(contract__in=contracts.values("pk")).order_by("contract_id", "sequence")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _head(releases: QuerySet[Release], uri: str) -> dict:
    return _package_head(uri, releases.aggregate(latest=Max("date"))["latest"])


def release_package_stream(contracts: QuerySet[Contract] | None = None, uri: str = "") -> Iterator[str]:
    """Every published release of the public contracts (or of ``contracts``), oldest first per process."""
    releases = releases_of(contracts)
    uri = uri or absolute(reverse("funding:ocds_releases"))
    rows = releases.values_list("data", flat=True).iterator(chunk_size=CHUNK)
    return _stream(_head(releases, uri), "releases", rows)


def record_package_stream(contracts: QuerySet[Contract] | None = None, uri: str = "") -> Iterator[str]:
    """One record per process: all its releases and their compiled release."""
    releases = releases_of(contracts)
    uri = uri or absolute(reverse("funding:ocds_records"))
    rows = releases.values_list("contract_id", "data").iterator(chunk_size=CHUNK)
    records = (record([data for _pk, data in group]) for _contract, group in groupby(rows, key=lambda r: r[0]))
    return _stream(_head(releases, uri), "records", records)


def validation_errors(package: dict, kind: str) -> list[str]:
    """Errors of a "release-package" or "record-package" against the official OCDS 1.1.5 schema files."""
    return standards.ocds_errors(package, kind)
