"""What waits for one person: the queues of their roles, each with its count and its oldest rows."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

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


def work_for(user, *, first_rows: int = FIRST_ROWS) -> list[Shown]:
    """Every queue of the person's roles with its count and its ``first_rows`` oldest rows.

    One query per queue, whatever the number of rows: its first rows, each carrying the queue's total (a window
    count, computed before the LIMIT); no row means nothing waits. The page's query count depends only on the
    person's roles.
    """
    shown = []
    for queue in queues_for(user):
        objects = list(queue.queryset(user).annotate(queue_total=Window(Count("pk")))[:first_rows])
        count = objects[0].queue_total if objects else 0
        rows = [queue.row(obj) for obj in objects]
        shown.append(Shown(queue, count, queue.label(count), queue_url(queue, user), rows))
    return shown


def queue_page(user, key: str, page_number) -> tuple[Queue, Page, list[Row]] | None:
    """One queue in full, oldest first, for a person whose roles include it (else None)."""
    queue = QUEUES_BY_KEY.get(key)
    if queue is None or queue.role not in roles_of(user):
        return None
    page = Paginator(queue.queryset(user), PAGE_SIZE).get_page(page_number)
    return queue, page, [queue.row(obj) for obj in page.object_list]
