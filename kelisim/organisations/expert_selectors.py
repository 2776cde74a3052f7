"""Reads of the expert roster (S7). Every list prefetches fields and regions, so the number of
queries stays the same however many experts a page shows."""

from django.db.models import Prefetch, Q, QuerySet

from kelisim.core import search
from kelisim.core.i18n import LANGUAGE_CODES
from kelisim.core.models import Region
from kelisim.organisations import rules
from kelisim.organisations.models import Expert, ExpertiseField, Membership, Organisation

SEARCHED_EXPERT_COLUMNS = ("full_name", *(f"{base}_{code}" for base in ("title", "bio") for code in LANGUAGE_CODES))
SEARCHED_FIELD_COLUMNS = tuple(f"name_{code}" for code in LANGUAGE_CODES)


def with_roster_relations(queryset: QuerySet[Expert]) -> QuerySet[Expert]:
    return queryset.select_related("organisation", "organisation__region").prefetch_related(
        Prefetch("fields", queryset=ExpertiseField.objects.order_by("sort_order", "code")),
        Prefetch("regions", queryset=Region.objects.order_by("sort_order", "code")),
    )


def listed_experts() -> QuerySet[Expert]:
    return with_roster_relations(Expert.objects.filter(is_listed=True)).order_by("full_name", "pk")


def search_experts(queryset: QuerySet[Expert], text: str) -> QuerySet[Expert]:
    """Experts whose name, title, bio or field of expertise contains every word of ``text``."""
    for word in search.query_terms(text):
        # A subquery rather than a join: a join would repeat an expert once per matching field.
        in_a_field = Expert.fields.through.objects.filter(
            expertisefield__in=ExpertiseField.objects.filter(search.ContainsFolded(SEARCHED_FIELD_COLUMNS, word))
        ).values("expert_id")
        queryset = queryset.filter(Q(search.ContainsFolded(SEARCHED_EXPERT_COLUMNS, word)) | Q(pk__in=in_a_field))
    return queryset


def filter_experts(
    queryset: QuerySet[Expert],
    *,
    text: str = "",
    field: ExpertiseField | None = None,
    language: str = "",
    region: Region | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Expert]:
    if text.strip():
        queryset = search_experts(queryset, text.strip())
    if field is not None:
        queryset = queryset.filter(
            pk__in=Expert.fields.through.objects.filter(expertisefield=field).values("expert_id")
        )
    if language:
        # Languages are kept as comma-separated codes; match whole codes only.
        queryset = queryset.filter(
            Q(languages=language)
            | Q(languages__startswith=f"{language},")
            | Q(languages__endswith=f",{language}")
            | Q(languages__contains=f",{language},")
        )
    if region is not None:
        queryset = queryset.filter(pk__in=Expert.regions.through.objects.filter(region=region).values("expert_id"))
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


def roster_fields() -> QuerySet[ExpertiseField]:
    return ExpertiseField.objects.order_by("sort_order", "code")


def roster_organisations() -> QuerySet[Organisation]:
    """Organisations that have at least one listed expert: the only useful choices in the filter."""
    return (
        Organisation.objects.filter(pk__in=Expert.objects.filter(is_listed=True).values("organisation_id"))
        .exclude(verification_status=Organisation.Verification.EXCLUDED)
        .order_by("name_ru", "pk")
    )


def expert_for_user(user) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(user=user).first()


def visible_expert(*, pk: int, user) -> Expert | None:
    """A listed expert for everyone; an unlisted one only for its owner and for officers."""
    expert = with_roster_relations(Expert.objects.filter(pk=pk)).first()
    if expert is None or expert.is_listed:
        return expert
    if rules.can_manage_expert(user, expert):
        return expert
    return None


def organisations_user_may_link(user) -> QuerySet[Organisation]:
    """Officers may link an expert to any organisation; anyone else only to one they are an active member of."""
    if user.is_officer:
        return Organisation.objects.order_by("name_ru", "pk")
    return Organisation.objects.filter(memberships__user=user, memberships__status=Membership.Status.ACTIVE).order_by(
        "name_ru", "pk"
    )
