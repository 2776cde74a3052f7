"""Reads on accounts, roles and tokens, with the joins done up front."""

from django.db.models import Prefetch, Q, QuerySet

from kelisim.accounts.models import ApiToken, RoleGrant, User


def search_users(query: str = "") -> QuerySet[User]:
    users = User.objects.prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role"), to_attr="prefetched_grants")
    ).order_by("email")
    query = query.strip()
    if query:
        users = users.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    return users


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
