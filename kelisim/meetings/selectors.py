"""Reads of the roundtables, with their related rows fetched up front so that pages stay at a fixed query count."""

from django.db.models import Prefetch, Q, QuerySet

from kelisim.accounts.permissions import is_signed_in
from kelisim.consultations.models import Suggestion
from kelisim.core import search
from kelisim.core.i18n import localized_fields
from kelisim.meetings import registry
from kelisim.meetings.models import AgendaItem, Attendance, Decision, Registration, Roundtable


def visible_roundtables(user=None):
    """Everyone sees scheduled and closed roundtables; a cancelled one stays visible (people may look for it)."""
    return Roundtable.objects.all()


def held_count() -> int:
    """Closed roundtables: the home page's figure and the count above the list's past roundtables."""
    return visible_roundtables().filter(status=Roundtable.Status.CLOSED).count()


ROUNDTABLE_SEARCH_FIELDS = [*localized_fields("title"), "topic", "place", "organiser"]


def search_roundtables(q: str):
    return search.contains_every_word(visible_roundtables(), ROUNDTABLE_SEARCH_FIELDS, q)


def roundtable_list(*, upcoming: bool, q: str = ""):
    from django.utils import timezone

    now = timezone.now()
    queryset = search_roundtables(q) if q else visible_roundtables()
    if upcoming:
        return queryset.filter(status=Roundtable.Status.SCHEDULED, ends_at__gte=now).order_by("starts_at", "pk")
    return queryset.filter(Q(ends_at__lt=now) | ~Q(status=Roundtable.Status.SCHEDULED)).order_by("-starts_at", "-pk")


def roundtable_detail(pk: int, *, with_decisions: bool) -> Roundtable:
    suggestions = Suggestion.objects.only("pk", "reference", "title", "text", "status")
    prefetches = [
        Prefetch(
            "agenda_items", queryset=AgendaItem.objects.prefetch_related(Prefetch("suggestions", queryset=suggestions))
        ),
        Prefetch("attendance", queryset=Attendance.objects.select_related("organisation")),
        "attachments",
        "invited_organisations",
    ]
    if with_decisions:
        prefetches.append(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("suggestion", "merge_into", "agenda_item"),
            )
        )
    roundtable = Roundtable.objects.prefetch_related(*prefetches).get(pk=pk)
    codes = sorted({code for item in roundtable.agenda_items.all() for code in item.plan_item_code_list})
    described = registry.describe_codes(codes)
    for item in roundtable.agenda_items.all():
        item.plan_refs = [
            described.get(code) or registry.ItemRef(code=code, label=code, url="") for code in item.plan_item_code_list
        ]
        item.decision_list = (
            [decision for decision in roundtable.decisions.all() if decision.agenda_item_id == item.pk]
            if with_decisions
            else []
        )
    return roundtable


def registrations(roundtable: Roundtable):
    return roundtable.registrations.exclude(status=Registration.Status.CANCELLED).select_related("organisation", "user")


def attendance_organisations(roundtable: Roundtable, *, counted) -> QuerySet:
    """The organisations whose attendance an officer records: those counted already, invited or registered."""
    from kelisim.organisations.models import Organisation

    organisation_ids = (
        set(counted)
        | set(roundtable.invited_organisations.values_list("pk", flat=True))
        | set(registrations(roundtable).values_list("organisation_id", flat=True))
    )
    return Organisation.objects.filter(pk__in=organisation_ids).order_by("name_ru")


def own_registration(roundtable: Roundtable, user) -> Registration | None:
    if not is_signed_in(user):
        return None
    return (
        roundtable.registrations.exclude(status=Registration.Status.CANCELLED)
        .filter(user=user)
        .select_related("organisation")
        .first()
    )


def waiting_position(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            roundtable_id=registration.roundtable_id,
            status=Registration.Status.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(pk__gt=registration.pk, created_at=registration.created_at)
        .count()
    )


def decisions_for_suggestion(suggestion) -> list[Decision]:
    """Published decisions about a suggestion (a roundtable's decisions are public once it is closed)."""
    return list(
        Decision.objects.filter(suggestion=suggestion, roundtable__status=Roundtable.Status.CLOSED).select_related(
            "roundtable", "agenda_item"
        )
    )
