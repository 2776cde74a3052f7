"""Reads on accounts, roles and tokens, with the joins done up front."""

from django.db import router
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


def _signed_in_query(pk) -> QuerySet[User]:
    roles = RoleGrant.objects.filter(user=OuterRef("pk")).order_by().values("user").annotate(codes=_JoinedCodes("role"))
    return (
        User.objects.annotate(granted_roles=Subquery(roles.values("codes")), **registry.signed_in_readings())
        .filter(pk=pk)
        .order_by("pk")[:1]
    )


# Stands for the account's key while the query is compiled: an id no account can have.
_ANY_ACCOUNT = -7_319_046_285
# (database alias, the readings' names) -> (SQL, parameters, where the account's key goes): compiled once.
_compiled_signed_in_query: dict[tuple, tuple[str, tuple, int]] = {}


def signed_in_user(pk) -> User | None:
    """The user of a session with their role codes (``User.role_codes``) and what later apps read with every
    signed-in page (``registry.register_signed_in_reading``) read in the same query.

    Every signed-in request reads it, and building and compiling that query (two subqueries and an aggregate) cost
    2-3 ms, four times the query itself: the SQL is compiled once per database and sent with the account's key."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    alias = router.db_for_read(User)
    key = (alias, tuple(registry.signed_in_readings_names()))
    compiled = _compiled_signed_in_query.get(key)
    if compiled is None:
        sql, parameters = _signed_in_query(_ANY_ACCOUNT).using(alias).query.sql_with_params()
        compiled = _compiled_signed_in_query[key] = (sql, tuple(parameters), list(parameters).index(_ANY_ACCOUNT))
    sql, parameters, position = compiled
    found = list(User.objects.db_manager(alias).raw(sql, (*parameters[:position], pk, *parameters[position + 1 :])))
    return found[0] if found else None


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
