"""Roundtables: schedule, agenda, attendance per organisation, and (once closed) the decisions.

No personal data: registrations are not published, only the number of seats taken.
"""

from datetime import datetime, time

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.meetings import selectors
from kelisim.meetings.models import Roundtable

router = Router(tags=["roundtables"])


class RoundtableOut(Schema):
    id: int
    title: str = Field(description="The title in the request's language, or another one when it has none.")
    title_kk: str
    title_ru: str
    title_en: str
    topic: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    organiser: str
    capacity: int
    seats_taken: int
    access: str = Field(description="public or invitation")
    status: str = Field(description="scheduled, closed or cancelled")
    closed_at: datetime | None


class AgendaItemOut(Schema):
    id: int
    starts_at: time
    duration_minutes: int
    title: str = Field(description="The title in the request's language, or another one when it has none.")
    title_kk: str
    title_ru: str
    title_en: str
    suggestions: list[str] = Field(description="References of the suggestions discussed.")
    plan_items: list[str] = Field(description="Stable IDs of the plan items discussed.")

    @staticmethod
    def resolve_suggestions(item) -> list[str]:
        return [suggestion.reference for suggestion in item.suggestions.all()]

    @staticmethod
    def resolve_plan_items(item) -> list[str]:
        return item.plan_item_code_list


class AttendanceOut(Schema):
    organisation_id: int
    organisation: str
    people: int

    @staticmethod
    def resolve_organisation(row) -> str:
        return row.organisation.name


class DecisionOut(Schema):
    id: int
    agenda_item_id: int
    kind: str = Field(description="incorporate, merge, decline or defer")
    acceptance: str
    text: str = Field(description="The wording in the request's language, or another one when it has none.")
    text_kk: str
    text_ru: str
    text_en: str
    suggestion: str | None
    merge_into: str | None
    plan_item: str = Field(description="Stable ID of the plan item (incorporate decisions).")

    @staticmethod
    def resolve_suggestion(decision) -> str | None:
        return decision.suggestion.reference if decision.suggestion_id else None

    @staticmethod
    def resolve_merge_into(decision) -> str | None:
        return decision.merge_into.reference if decision.merge_into_id else None

    @staticmethod
    def resolve_plan_item(decision) -> str:
        return decision.plan_item_code


class RoundtableDetailOut(RoundtableOut):
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut] = Field(description="Published when the roundtable is closed; empty before.")
    minutes_html: str

    @staticmethod
    def resolve_agenda(roundtable) -> list:
        return list(roundtable.agenda_items.all())

    @staticmethod
    def resolve_attendance(roundtable) -> list:
        return list(roundtable.attendance.all())

    @staticmethod
    def resolve_decisions(roundtable) -> list:
        return list(roundtable.decisions.all()) if roundtable.is_closed else []

    @staticmethod
    def resolve_minutes_html(roundtable) -> str:
        return roundtable.minutes_html if roundtable.is_closed else ""


@router.get("/roundtables", response={200: list[RoundtableOut], 422: Error}, summary="Roundtables, latest first")
@paginate(Page)
def list_roundtables(request):
    return selectors.visible_roundtables().order_by("-starts_at", "-pk")


@router.get(
    "/roundtables/{int:roundtable_id}",
    response={200: RoundtableDetailOut, 404: Error, 422: Error},
    summary="One roundtable with its agenda, attendance and (once closed) decisions",
)
def get_roundtable(request, roundtable_id: int):
    if not Roundtable.objects.filter(pk=roundtable_id).exists():
        raise Http404
    return selectors.roundtable_detail(roundtable_id, with_decisions=True)
