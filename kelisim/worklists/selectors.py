"""What waits for one person: the queues of their roles, each with its count and its oldest rows."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Value, Window
from django.db.models.functions import JSONObject, RowNumber

from kelisim.accounts.models import Role
from kelisim.organisations.models import Membership
from kelisim.worklists.queues import QUEUES, QUEUES_BY_KEY, Queue, Row

FIRST_ROWS = 5
PAGE_SIZE = 50


@dataclass(frozen=True)
class Shown:
    queue: Queue
    count: int
    label: str
    url: str
    rows: list[Row]


def roles_of(user) -> set[str]:
    """The queue roles ``user`` holds: platform roles (one cached query) and NGO roles (one query)."""
    if not user or not user.is_authenticated:
        return set()
    roles = {role for role in (Role.OFFICER, Role.MODERATOR, Role.REVIEWER, Role.ADMINISTRATOR) if user.has_role(role)}
    if user.has_role(Role.ADMINISTRATOR):
        roles |= {Role.OFFICER, Role.MODERATOR}
    ngo_roles = set(
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values_list("role", flat=True)
    )
    if ngo_roles:
        roles.add("ngo")
    if Membership.Role.ADMIN in ngo_roles:
        roles.add("ngo_admin")
    return roles


def queues_for(user) -> list[Queue]:
    roles = roles_of(user)
    return [queue for queue in QUEUES if queue.role in roles]


def queue_url(queue: Queue, user) -> str:
    from django.urls import reverse

    return queue.url(user) if queue.url else reverse("worklists:queue", args=[queue.key])


def _first_rows(queue: Queue, user, first_rows: int):
    """The queue's ``first_rows`` oldest rows as (key, place, total, values): the total is a window count over the
    whole queue, the place its row number in the queue's order, which keeps that order once its rows are mixed with
    other queues'. Filtered on the place rather than sliced: SQLite allows no LIMIT inside a UNION."""
    queryset = queue.queryset(user)
    return (
        queryset.values(
            key=Value(queue.key, output_field=CharField()),
            place=Window(RowNumber(), order_by=list(queryset.query.order_by)),
            total=Window(Count("pk")),
            data=JSONObject(**queue.columns),
        )
        .filter(place__lte=first_rows)
        .order_by()
    )


def work_for(user, *, first_rows: int = FIRST_ROWS) -> list[Shown]:
    """Every queue of the person's roles with its count and its ``first_rows`` oldest rows.

    One query whatever the number of queues and rows: a UNION ALL of each queue's first rows, each carrying its
    queue's total. No row means nothing waits. Counts are read on every request, never kept.
    """
    queues = queues_for(user)
    found: dict[str, list[dict]] = {queue.key: [] for queue in queues}
    parts = [_first_rows(queue, user, first_rows) for queue in queues]
    if parts:
        for found_row in parts[0].union(*parts[1:], all=True):
            found[found_row["key"]].append(found_row)
    shown = []
    for queue in queues:
        values = sorted(found[queue.key], key=lambda found_row: found_row["place"])
        count = values[0]["total"] if values else 0
        rows = [queue.row(found_row["data"]) for found_row in values]
        shown.append(Shown(queue, count, queue.label(count), queue_url(queue, user), rows))
    return shown


def queue_page(user, key: str, page_number) -> tuple[Queue, Page, list[Row]] | None:
    """One queue in full, oldest first, for a person whose roles include it (else None)."""
    queue = QUEUES_BY_KEY.get(key)
    if queue is None or queue.role not in roles_of(user):
        return None
    queryset = queue.queryset(user).values_list(JSONObject(**queue.columns), flat=True)
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    return queue, page, [queue.row(obj) for obj in page.object_list]
