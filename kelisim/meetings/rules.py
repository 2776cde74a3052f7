"""Who may see or do what with a roundtable: pure reads, used by services and views."""

from kelisim.accounts.permissions import is_officer, is_signed_in


def can_see_record(user, roundtable) -> bool:
    """Decisions and attachments are public once the roundtable is closed; officers see them while they
    are prepared."""
    return roundtable.is_closed or is_officer(user)


def can_cancel_registration(user, registration) -> bool:
    """The person registered, or an officer."""
    return is_signed_in(user) and (user.pk == registration.user_id or is_officer(user))
