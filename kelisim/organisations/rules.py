"""Who may do what with an organisation or an expert profile: named rules, pure reads.

Services enforce them (raising PermissionDenied), views and templates ask them to decide what to show.
"""

from kelisim.accounts.permissions import is_officer, is_signed_in
from kelisim.organisations.models import Expert, Membership, Organisation


def is_organisation_admin(user, organisation: Organisation) -> bool:
    if not is_signed_in(user):
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, status=Membership.Status.ACTIVE, role=Membership.Role.ADMIN
    ).exists()


def can_manage(user, organisation: Organisation) -> bool:
    """NGO admins of this organisation and programme officers keep its profile and members."""
    return is_officer(user) or is_organisation_admin(user, organisation)


def can_manage_as_member(user, membership: Membership | None) -> bool:
    """``can_manage`` when the user's own membership of the organisation is already at hand (no query)."""
    return is_officer(user) or (is_signed_in(user) and membership is not None and membership.is_active_admin)


def can_see_private_contacts(user, organisation: Organisation) -> bool:
    return can_manage(user, organisation)


def can_manage_expert(user, expert: Expert) -> bool:
    """The expert themselves (their account) and programme officers keep an expert profile."""
    if not is_signed_in(user):
        return False
    return user.is_officer or (expert.user_id is not None and expert.user_id == user.pk)
