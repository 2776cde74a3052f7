"""Reads on accounts, roles and tokens, with the joins done up front."""

from django.db.models import Aggregate, CharField, OuterRef, Prefetch, Q, QuerySet, Subquery

from kelisim.accounts.models import ApiToken, RoleGrant, User
from kelisim.core import registry


def search_users(query: str = "") -> QuerySet[User]:
    users = User.objects.prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role"), to_attr="prefetched_grants")
    ).order_by("email")
    query = query.strip()
    if query:
        users = users.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    return users


class _JoinedCodes(Aggregate):
    """The group's codes joined by commas (role codes hold none)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s, ',')")


def signed_in_user(pk) -> User | None:
    """The user of a session with their role codes (``User.role_codes``) and what later apps read with every
    signed-in page (``registry.register_signed_in_reading``) read in the same query."""
    roles = RoleGrant.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(codes=_JoinedCodes("role"))
    return (
        User.objects.annotate(granted_roles=Subquery(roles.values("codes")), **registry.signed_in_readings())
        .filter(pk=pk)
        .first()
    )


def user_with_roles(pk: int) -> User:
    return (
        User.objects.prefetch_related(
            Prefetch(
                "role_grants",
                queryset=RoleGrant.objects.select_related("granted_by").order_by("role"),
                to_attr="prefetched_grants",
            )
        )
        .filter(pk=pk)
        .get()
    )


def role_history(user: User | None = None) -> QuerySet:
    """Every grant and revocation, newest first. ``user`` narrows it to one account."""
    records = RoleGrant.history.select_related("user", "history_user", "granted_by").order_by(
        "-history_date", "-history_id"
    )
    if user is not None:
        records = records.filter(user_id=user.pk)
    return records


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
