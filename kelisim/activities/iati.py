"""Contracts and their results as IATI 2.03 activities (``<iati-activities version="2.03">``).

One IATI activity per public contract, from the same rows as the OCDS releases and the 360Giving grants:
the programme office reports and funds, the contracted NGO implements (organisation identifier
``KZ-BIN-<BIN>`` in all three standards), the contract amount is a commitment, its milestones are the
planned disbursements, and the results are

- the indicators of the plan items the contract serves, with their yearly targets and actual values
  (``activities.selectors.indicator_values``, as the plan pages show them), and
- the verified activities reported against the contract's milestones: events and participants per year,
  participants under the dashboards' small-cell rule (a count of 1 to 4 is not published).

The document costs a fixed number of queries plus one per plan item with indicators (there are tens),
whatever the number of contracts; each activity is written as it is read.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from kelisim.activities import selectors, suppression
from kelisim.activities.models import ActivityReport, ReportStatus
from kelisim.funding import ocds
from kelisim.funding.models import Contract

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITY_STATUS = {
    Contract.Status.SIGNED: "2",  # implementation
    Contract.Status.ACTIVE: "2",
    Contract.Status.SUSPENDED: "6",  # suspended
    Contract.Status.COMPLETED: "4",  # closed
    Contract.Status.TERMINATED: "5",  # cancelled
}
SECTOR_PEACEBUILDING = "15220"  # OECD DAC 5: civilian peace-building, conflict prevention and resolution
ORG_TYPE_GOVERNMENT = "10"
ORG_TYPE_NATIONAL_NGO = "22"


def _narrative(parent: ET.Element, text: str, language: str | None = None) -> None:
    element = ET.SubElement(parent, "narrative")
    if language:
        element.set(XML_LANG, language)
    element.text = text


def _texts(parent: ET.Element, name: str, texts: dict, language: str, **attributes) -> ET.Element:
    """``<name><narrative>main</narrative><narrative xml:lang="xx">other</narrative>...</name>``."""
    element = ET.SubElement(parent, name, **attributes)
    for key, text in texts.items():
        _narrative(element, text or "-", key.rsplit("_", 1)[1] if "_" in key else None)
    return element


def reporting_ref() -> str:
    return ocds.buyer_id()


def identifier(contract: Contract) -> str:
    return f"{reporting_ref()}-{contract.number}"


def _day(value) -> str:
    return value.isoformat() if isinstance(value, date) else timezone.localtime(value).date().isoformat()


def _value(parent: ET.Element, name: str, amount, value_date) -> None:
    element = ET.SubElement(parent, name, currency="KZT", **{"value-date": _day(value_date)})
    element.text = str(int(amount))


class _Results:
    """Everything the results need, read once for all contracts."""

    def __init__(self, contracts: list[Contract]):
        self.indicators: dict[int, list[dict]] = {}
        for contract in contracts:
            for item in contract.plan_items.all():
                if item.pk not in self.indicators:
                    self.indicators[item.pk] = selectors.item_indicators(item)
        self.delivered: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        rows = (
            ActivityReport.objects.filter(
                milestone__contract__in=[c.pk for c in contracts], status=ReportStatus.VERIFIED
            )
            .annotate(year=ExtractYear("start_date"))
            .values("milestone__contract_id", "year")
            .annotate(events=Count("pk"), participants=Sum("participants"))
            .order_by("milestone__contract_id", "year")
        )
        for row in rows:
            self.delivered[row["milestone__contract_id"]][row["year"]] = (row["events"], row["participants"] or 0)


def _period(indicator: ET.Element, year: int, target, actual) -> None:
    period = ET.SubElement(indicator, "period")
    ET.SubElement(period, "period-start", **{"iso-date": f"{year}-01-01"})
    ET.SubElement(period, "period-end", **{"iso-date": f"{year}-12-31"})
    if target is not None:
        ET.SubElement(period, "target", value=_number(target))
    if actual is not None:
        ET.SubElement(period, "actual", value=_number(actual))


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _plan_results(activity: ET.Element, contract: Contract, results: _Results, language: str) -> None:
    for item in contract.plan_items.all():
        rows = results.indicators.get(item.pk) or []
        if not rows:
            continue
        result = ET.SubElement(activity, "result", type="2", **{"aggregation-status": "0"})
        _texts(result, "title", {"title": f"{item.code}"}, language)
        for row in rows:
            indicator = row["indicator"]
            element = ET.SubElement(result, "indicator", measure="1", ascending="1")
            _texts(element, "title", {"title": f"{indicator.name} ({indicator.unit})"}, language)
            if indicator.baseline is not None and row["values"]:
                ET.SubElement(element, "baseline", year=str(row["values"][0].year), value=_number(indicator.baseline))
            for value in row["values"]:
                _period(element, value.year, value.target, value.actual)


def _delivery_results(activity: ET.Element, contract: Contract, results: _Results) -> None:
    years = results.delivered.get(contract.pk)
    if not years:
        return
    result = ET.SubElement(activity, "result", type="1", **{"aggregation-status": "1"})
    _texts(result, "title", {"title": "Verified activities under this contract"}, "en")
    events = ET.SubElement(result, "indicator", measure="1", ascending="1")
    _texts(events, "title", {"title": "Events held"}, "en")
    for year, (count, _people) in sorted(years.items()):
        _period(events, year, None, count)
    people = ET.SubElement(result, "indicator", measure="1", ascending="1")
    _texts(people, "title", {"title": "Participants (a count of 1 to 4 is not published)"}, "en")
    cells, _total = suppression.suppress([people for _count, people in (years[y] for y in sorted(years))])
    for year, cell in zip(sorted(years), cells, strict=True):
        _period(people, year, None, cell.value)


def activity(contract: Contract, results: _Results) -> ET.Element:
    application = contract.application
    organisation = application.organisation
    call = application.call
    language = ocds.language_of(contract)
    modified = getattr(contract, "modified", None) or contract.updated_at
    element = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": timezone.localtime(modified).isoformat(timespec="seconds"),
            XML_LANG: language,
            "default-currency": "KZT",
        },
    )
    ET.SubElement(element, "iati-identifier").text = identifier(contract)
    reporting = ET.SubElement(element, "reporting-org", ref=reporting_ref(), type=ORG_TYPE_GOVERNMENT)
    _narrative(reporting, settings.KELISIM_PUBLISHER_NAME)
    titles = ocds._texts(contract, "title", language)
    titles["title"] = titles["title"] or str(application)
    _texts(element, "title", titles, language)
    summaries = ocds._texts(contract, "summary", language)
    summaries["summary"] = summaries["summary"] or titles["title"]
    _texts(element, "description", summaries, language, type="1")
    funding = ET.SubElement(element, "participating-org", ref=reporting_ref(), role="1", type=ORG_TYPE_GOVERNMENT)
    _narrative(funding, settings.KELISIM_PUBLISHER_NAME)
    names = ocds._texts(organisation, "name", language)
    implementing = _texts(
        element,
        "participating-org",
        names,
        language,
        ref=ocds.org_id(organisation.bin),
        role="4",
        type=ORG_TYPE_NATIONAL_NGO,
    )
    implementing.set("activity-id", identifier(contract))
    other = ET.SubElement(element, "other-identifier", ref=ocds.ocid_for(contract), type="B1")
    _texts(other, "owner-org", {"name": settings.KELISIM_PUBLISHER_NAME}, language, ref=reporting_ref())
    ET.SubElement(element, "activity-status", code=ACTIVITY_STATUS[contract.status])
    ET.SubElement(element, "activity-date", type="1", **{"iso-date": _day(contract.period_start)})
    if contract.signed_on:
        ET.SubElement(element, "activity-date", type="2", **{"iso-date": _day(contract.signed_on)})
    ET.SubElement(element, "activity-date", type="3", **{"iso-date": _day(contract.period_end)})
    ET.SubElement(element, "activity-scope", code="4")  # national
    ET.SubElement(element, "recipient-country", code="KZ", percentage="100")
    ET.SubElement(element, "sector", vocabulary="1", code=SECTOR_PEACEBUILDING, percentage="100")
    for strand in list(call.strands.all())[:1]:  # the programme's strand, the reporting organisation's vocabulary
        sector = ET.SubElement(element, "sector", vocabulary="99", code=strand.code, percentage="100")
        _narrative(sector, strand.name_en)
    ET.SubElement(element, "collaboration-type", code="1")  # bilateral
    ET.SubElement(element, "default-flow-type", code="10")  # ODA-like public funding
    ET.SubElement(element, "default-finance-type", code="110")  # standard grant
    ET.SubElement(element, "default-aid-type", code="C01", vocabulary="1")  # project-type intervention
    ET.SubElement(element, "default-tied-status", code="5")  # untied
    for milestone in contract.milestones.all():
        if milestone.tranche_kzt:
            planned = ET.SubElement(element, "planned-disbursement", type="1")
            ET.SubElement(planned, "period-start", **{"iso-date": _day(contract.period_start)})
            ET.SubElement(planned, "period-end", **{"iso-date": _day(milestone.due_date)})
            _value(planned, "value", milestone.tranche_kzt, milestone.due_date)
    commitment = ET.SubElement(element, "transaction", ref=f"{contract.number}-v{contract.version}")
    ET.SubElement(commitment, "transaction-type", code="2")
    ET.SubElement(commitment, "transaction-date", **{"iso-date": _day(contract.signed_on or contract.period_start)})
    _value(commitment, "value", contract.amount_kzt, contract.signed_on or contract.period_start)
    provider = ET.SubElement(commitment, "provider-org", ref=reporting_ref())
    _narrative(provider, settings.KELISIM_PUBLISHER_NAME)
    receiver = ET.SubElement(commitment, "receiver-org", ref=ocds.org_id(organisation.bin))
    _narrative(receiver, names["name"] or organisation.name)
    record_url = ocds.absolute(reverse("funding:ocds_contract_record", args=[contract.number]))
    link = ET.SubElement(element, "document-link", format="application/json", url=record_url)
    _texts(link, "title", {"title": "OCDS record of this contract"}, "en")
    ET.SubElement(link, "category", code="A01")
    _plan_results(element, contract, results, language)
    _delivery_results(element, contract, results)
    return element


def contracts() -> list[Contract]:
    from django.db.models import Max

    return list(
        ocds.contract_queryset()
        .select_related("application__call")
        .prefetch_related("application__call__strands")
        .annotate(modified=Max("releases__date"))
    )


def document_stream() -> Iterator[str]:
    """The ``iati-activities`` document, one activity at a time."""
    rows = contracts()
    results = _Results(rows)
    generated = timezone.localtime().isoformat(timespec="seconds")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="2.03" generated-datetime="{generated}">\n'
    for contract in rows:
        yield ET.tostring(activity(contract, results), encoding="unicode") + "\n"
    yield "</iati-activities>\n"
