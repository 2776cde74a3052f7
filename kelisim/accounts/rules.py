"""Named rules about accounts: pure reads that services enforce and views ask."""

from kelisim.accounts.models import Role, RoleGrant, User


def other_administrators_exist(user: User) -> bool:
    return (
        RoleGrant.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True).exclude(user=user).exists()
        or User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    )


def is_last_administrator(user: User) -> bool:
    """The last administrator keeps the role and the account, so that someone can still manage roles."""
    return user.is_administrator and not other_administrators_exist(user)
