"""Activity reports (write and read your organisation's with a token), public aggregates and indicators.

Aggregates are the public dashboard's: counts of people from 1 to 4 are published as "<5", with
complementary suppression; reports carry counts only, never participants' names.
"""

from datetime import date
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from kelisim.activities import rules, selectors, services, validation
from kelisim.activities.models import (
    ATTENDANCE_FIELDS,
    MAX_COUNT,
    MAX_REACH,
    ActivityReport,
    ActivityType,
    Audience,
    ReportStatus,
    VenueType,
    audience_codes,
)
from kelisim.api.auth import token_auth
from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.core.fields import max_length
from kelisim.organisations.models import Organisation

router = Router(tags=["activities"])

Count = Field(0, ge=0, le=MAX_COUNT)
Reach = Field(0, ge=0, le=MAX_REACH)


class Attendance(Schema):
    female_under14: int = Count
    female_14_18: int = Count
    female_19_29: int = Count
    female_30plus: int = Count
    male_under14: int = Count
    male_14_18: int = Count
    male_19_29: int = Count
    male_30plus: int = Count


class ReportIn(Schema):
    organisation_id: int = Field(ge=1, le=2_147_483_647)
    activity_type: ActivityType
    title: Text = Field(min_length=1, max_length=300)
    description: Text = Field(
        "", max_length=max_length(ActivityReport, "description"), description="No personal data: counts only."
    )
    start_date: date
    end_date: date | None = None
    region: Text = Field(max_length=8, description="ISO 3166-2:KZ code, e.g. KZ-31")
    settlement: Text = Field("", max_length=200)
    venue_type: VenueType
    languages: list[Text] = Field(default_factory=list, max_length=3)
    audiences: list[Audience] = Field(default_factory=list, max_length=8)
    strand: Text = Field(max_length=40, description="Strand code")
    attendance: Attendance = Field(default_factory=Attendance)
    online_posts: int = Reach
    online_views: int = Reach
    online_shares: int = Reach
    material_links: list[Annotated[Text, Field(max_length=2000)]] = Field(
        default_factory=list, max_length=20, description="Links to materials."
    )
    plan_item: Text | None = Field(None, max_length=40, description="ID of the published plan item it serves")
    milestone: Text | None = Field(
        None,
        max_length=80,
        description='Contract milestone: contract number, "/" and its number, e.g. KLS-2026-003-001/2',
    )
    lecturers: list[int] = Field(default_factory=list, max_length=20, description="IDs from the expert roster")
    partners: list[Text] = Field(default_factory=list, max_length=20, description="BINs of partner organisations")
    submit: bool = Field(False, description="Submit for verification at once.")


class ReportOut(Schema):
    id: int
    organisation_id: int
    activity_type: str
    title: str
    start_date: date
    end_date: date
    region: str = Field(alias="region.code")
    settlement: str
    venue_type: str
    audiences: list[str]
    strand: str = Field(alias="strand.code")
    plan_item: str | None
    milestone: str | None
    lecturers: list[int]
    partners: list[str]
    material_links: list[str] = Field(alias="link_list")
    attendance: Attendance
    participants: int
    youth_14_29: int
    online_posts: int
    online_views: int
    online_shares: int
    status: str = Field(description="draft, submitted, verified or returned")
    return_comment: str

    @staticmethod
    def resolve_plan_item(report) -> str | None:
        return report.plan_item.code if report.plan_item_id else None

    @staticmethod
    def resolve_milestone(report) -> str | None:
        if not report.milestone_id:
            return None
        return validation.milestone_code(report.milestone.contract.number, report.milestone.position)

    @staticmethod
    def resolve_lecturers(report) -> list[int]:
        return [expert.pk for expert in report.lecturers.all()]

    @staticmethod
    def resolve_partners(report) -> list[str]:
        return [organisation.bin for organisation in report.partners.all()]

    @staticmethod
    def resolve_audiences(report) -> list[str]:
        return audience_codes(report.audiences)

    @staticmethod
    def resolve_attendance(report) -> dict:
        return {name: getattr(report, name) for name in ATTENDANCE_FIELDS}


class SummaryRowOut(Schema):
    key: str
    label: str
    events: int
    participants: str = Field(description='A number, "<5" or "…" (withheld to protect a small count).')


class SummaryOut(Schema):
    by: str
    rows: list[SummaryRowOut]
    total_events: int
    total_participants: str


class SummaryQuery(Schema):
    by: str = Field("region", pattern="^(region|strand|period|organisation|type|audience)$")
    period: str = Field("year", pattern="^(month|quarter|year)$")
    year_from: int | None = Field(None, ge=2000, le=2100)
    year_to: int | None = Field(None, ge=2000, le=2100)


class IndicatorValueOut(Schema):
    year: int
    target: float | None
    actual: float | None


class ActivityIndicatorOut(Schema):
    id: int
    plan_item: str
    name: str
    unit: str
    rule: str
    values: list[IndicatorValueOut]


def _reports():
    return selectors.report_queryset().select_related("milestone__contract").prefetch_related("lecturers", "partners")


@router.get(
    "/activities/reports",
    auth=token_auth,
    response={200: list[ReportOut], 401: Error, 422: Error},
    summary="The activity reports of the token account's organisations, newest first",
)
@paginate(Page)
def activity_reports(request):
    organisations = selectors.reporting_organisations(request.auth)
    return _reports().filter(organisation__in=organisations).order_by("-start_date", "-pk")


@router.get(
    "/activities/reports/{report_id}",
    auth=token_auth,
    response={200: ReportOut, 401: Error, 404: Error, 422: Error},
    summary="One of your organisations' reports",
)
def activity_report(request, report_id: int):
    report = _reports().filter(pk=report_id).first()
    if report is None or not rules.can_report_for(request.auth, report.organisation):
        raise Http404
    return report


def _as_row(payload: ReportIn) -> dict:
    """The payload in the import file's columns, so that the import's checks apply word for word."""
    return {
        "activity_type": payload.activity_type.value,
        "title": payload.title,
        "description": payload.description,
        "start_date": payload.start_date,
        "end_date": payload.end_date or "",
        "region": payload.region,
        "settlement": payload.settlement,
        "venue_type": payload.venue_type.value,
        "languages": ";".join(payload.languages),
        "audiences": ";".join(audience.value for audience in payload.audiences),
        "strand": payload.strand,
        "plan_item": payload.plan_item or "",
        **payload.attendance.dict(),
        "online_posts": payload.online_posts,
        "online_views": payload.online_views,
        "online_shares": payload.online_shares,
        "material_links": " ".join(payload.material_links),
        "lecturers": ";".join(str(pk) for pk in payload.lecturers),
        "partners": ";".join(payload.partners),
        "milestone": payload.milestone or "",
    }


def _checked(payload: ReportIn, organisation: Organisation) -> tuple[dict, list[int], list[int]]:
    """(fields, lecturers, partners), checked by the rules the form and the import apply."""
    data, problems = validation.check_report(_as_row(payload), organisation_id=organisation.pk)
    if problems:
        raise validation.as_validation_error(problems)
    lecturers, partners = data.pop("lecturers"), data.pop("partners")
    return data, lecturers, partners


@router.post(
    "/activities/reports",
    auth=token_auth,
    response={201: ReportOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="File a report for one of your organisations (draft, or submitted with submit=true)",
)
def create_activity_report(request, payload: ReportIn):
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise Http404
    rules.require_reporter(request.auth, organisation)
    data, lecturers, partners = _checked(payload, organisation)
    report = services.create_report(
        actor=request.auth,
        organisation=organisation,
        data=data,
        lecturers=lecturers,
        partners=partners,
        submit=payload.submit,
    )
    return Status(201, _reports().get(pk=report.pk))


@router.put(
    "/activities/reports/{report_id}",
    auth=token_auth,
    response={200: ReportOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Replace a draft or returned report of yours (and submit it with submit=true)",
)
def update_activity_report(request, report_id: int, payload: ReportIn):
    report = selectors.report_queryset().filter(pk=report_id).first()
    if report is None or not rules.can_report_for(request.auth, report.organisation):
        raise Http404
    if payload.organisation_id != report.organisation_id:
        raise ValidationError({"organisation_id": "A report stays with its organisation."})
    data, lecturers, partners = _checked(payload, report.organisation)
    with transaction.atomic():
        report = services.update_report(
            actor=request.auth, report=report, data=data, lecturers=lecturers, partners=partners
        )
        if payload.submit:
            services.transition_report(actor=request.auth, report=report, to=ReportStatus.SUBMITTED)
    return _reports().get(pk=report.pk)


def _key(key) -> str:
    return "-".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


@router.get(
    "/activities/summary",
    response={200: SummaryOut, 422: Error},
    summary="Verified activity by region, strand, period, organisation, type or audience (small counts withheld)",
)
def activity_summary(request, query: Query[SummaryQuery]):
    filters = selectors.DashboardFilters(
        year_from=query.year_from, year_to=query.year_to, by=query.by, period=query.period
    )
    table = selectors.dashboard_table(filters, public=True)
    return {
        "by": table.dimension,
        "rows": [
            {
                "key": row.code or _key(row.key),
                "label": row.label,
                "events": row.events,
                "participants": row.measures["participants"].label,
            }
            for row in table.rows
        ],
        "total_events": table.total_events,
        "total_participants": table.totals["participants"].label,
    }


def _indicator_row(tracked_code: str, entry: dict) -> dict:
    indicator = entry["indicator"]
    return {
        "id": indicator.pk,
        "plan_item": tracked_code,
        "name": indicator.name,
        "unit": indicator.unit,
        "rule": indicator.activity_source.rule if hasattr(indicator, "activity_source") else "",
        "values": [{"year": value.year, "target": value.target, "actual": value.actual} for value in entry["values"]],
    }


@router.get(
    "/activities/indicators",
    response={200: list[ActivityIndicatorOut], 422: Error},
    summary="Indicators with targets and values",
)
@paginate(Page)
def activity_indicators(request):
    return [
        _indicator_row(item.tracked.code, entry)
        for item, entries in selectors.public_plan_indicators()
        for entry in entries
    ]
