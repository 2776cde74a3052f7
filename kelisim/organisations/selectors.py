"""Reads of the NGO registry. Every list fetches related rows in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from kelisim.core import search
from kelisim.core.i18n import active_language
from kelisim.core.models import Region, Strand
from kelisim.organisations.importing.columns import COLUMN_NAMES, PRIVATE_COLUMNS
from kelisim.organisations.models import ORGANISATION_SEARCH, Membership, Organisation, sort_name


@dataclass(frozen=True)
class OrganisationFilters:
    query: str = ""
    region: Region | None = None
    strand: Strand | None = None
    verified_only: bool = False
    sort: str = ""


SORTS = ("relevance", "name", "-name", "-registration_date", "registration_date")


def _localized_name_key():
    """The name in the reader's language, falling back to the others (never sorts blanks first)."""
    return sort_name(active_language())


def public_organisations() -> QuerySet[Organisation]:
    """Every organisation the public may see: excluded ones are kept for the record but not listed."""
    return Organisation.objects.exclude(verification_status=Organisation.Verification.EXCLUDED)


def organisation_list(filters: OrganisationFilters) -> QuerySet[Organisation]:
    organisations = public_organisations()
    if filters.region is not None:
        organisations = organisations.filter(region=filters.region)
    if filters.strand is not None:
        organisations = organisations.filter(focus_strands=filters.strand)
    if filters.verified_only:
        organisations = organisations.filter(verification_status=Organisation.Verification.VERIFIED)
    organisations = organisations.select_related("region").prefetch_related(
        Prefetch("focus_strands", queryset=Strand.objects.order_by("sort_order", "code"))
    )
    sort = filters.sort if filters.sort in SORTS else ""
    if filters.query and search.query_terms(filters.query):
        organisations = search.search(organisations, ORGANISATION_SEARCH, filters.query)
        if sort in ("", "relevance"):
            return organisations
    if sort in ("", "relevance", "name"):
        return organisations.order_by(_localized_name_key(), "pk")
    if sort == "-name":
        return organisations.order_by(_localized_name_key().desc(), "-pk")
    if sort == "-registration_date":
        return organisations.order_by("-registration_date", "pk")
    return organisations.order_by("registration_date", "pk")


# The public columns, named and ordered as in an import file (so that an export can be imported again),
# and the verification status.
EXPORT_COLUMNS = (*(name for name in COLUMN_NAMES if name not in PRIVATE_COLUMNS), "verification_status")
EXPORT_CHUNK = 2000


def export_rows(filters: OrganisationFilters):
    """The filtered list as CSV rows in ``EXPORT_COLUMNS`` order, read in chunks.

    Plain values, not model instances: the whole registry streams in a few seconds, and one
    strands query per chunk keeps the query count at two per 2,000 rows.
    """
    fields = ["pk", *("region__code" if name == "region" else name for name in EXPORT_COLUMNS if name != "strands")]
    rows = organisation_list(filters).prefetch_related(None).values(*fields)
    chunk = []
    for row in rows.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _export_cells(chunk)
            chunk = []
    if chunk:
        yield from _export_cells(chunk)


def _export_cells(rows: list[dict]):
    through = Organisation.focus_strands.through
    codes: dict[int, list[str]] = {}
    links = through.objects.filter(organisation_id__in=[row["pk"] for row in rows]).order_by(
        "strand__sort_order", "strand__code"
    )
    for organisation_id, code in links.values_list("organisation_id", "strand__code"):
        codes.setdefault(organisation_id, []).append(code)
    for row in rows:
        cells = {
            **row,
            "region": row["region__code"],
            "registration_date": row["registration_date"].isoformat() if row["registration_date"] else "",
            "strands": ";".join(codes.get(row["pk"], [])),
            "working_languages": row["working_languages"].replace(",", ";"),
        }
        yield [cells[name] for name in EXPORT_COLUMNS]


def organisation_detail(pk: int) -> Organisation:
    """One organisation with its region, strands and active member count (three queries)."""
    return (
        Organisation.objects.select_related("region", "verified_by")
        .prefetch_related(Prefetch("focus_strands", queryset=Strand.objects.order_by("sort_order", "code")))
        .annotate(members_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)))
        .get(pk=pk)
    )


def membership_of(user, organisation: Organisation) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "decided_by")
        .order_by("status", "-role", "created_at")
    )


def active_admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(
        organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).count()


def memberships_of_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name_ru")


def pending_requests_for_admin(user) -> QuerySet[Membership]:
    """Requests to join the organisations ``user`` administers, oldest first."""
    administered = Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).values("organisation_id")
    return (
        Membership.objects.filter(organisation_id__in=administered, status=Membership.Status.PENDING)
        .select_related("user", "organisation")
        .order_by("created_at")
    )


def profile_section_context(request) -> dict:
    return {
        "my_memberships": list(memberships_of_user(request.user)),
        "requests_to_decide": list(pending_requests_for_admin(request.user)),
    }


def organisation_history(organisation: Organisation) -> list[dict]:
    """Every recorded change to the organisation and its memberships, newest first, with who and why."""
    records = []
    organisation_records = list(
        organisation.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    for position, record in enumerate(organisation_records):
        # Records are newest first, so the one before each is the next in the list (no extra query).
        previous = organisation_records[position + 1] if position + 1 < len(organisation_records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["updated_at"])
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        records.append(
            {
                "date": record.history_date,
                "kind": "organisation",
                "type": record.get_history_type_display(),
                "user": record.history_user,
                "reason": record.history_change_reason or "",
                "changes": changes,
                "subject": "",
            }
        )
    membership_records = Membership.history.filter(organisation_id=organisation.pk).select_related(
        "history_user", "user"
    )
    for record in membership_records.order_by("-history_date", "-history_id"):
        records.append(
            {
                "date": record.history_date,
                "kind": "membership",
                "type": record.get_history_type_display(),
                "user": record.history_user,
                "reason": record.history_change_reason or "",
                "changes": [("role", None, record.get_role_display()), ("status", None, record.get_status_display())],
                "subject": str(record.user) if record.user_id and record.user else "",
            }
        )
    records.sort(key=lambda entry: entry["date"], reverse=True)
    return records


def join_requests_without_admin():
    """Requests to join an organisation that has no active admin to answer them: programme officers
    decide these (a registry import brings in organisations nobody manages yet), oldest first."""
    admins = Membership.objects.filter(
        organisation=OuterRef("organisation"), status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    )
    return (
        Membership.objects.filter(status=Membership.Status.PENDING)
        .exclude(Exists(admins))
        .select_related("user", "organisation", "organisation__region")
        .order_by("created_at", "pk")
    )
