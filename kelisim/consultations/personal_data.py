"""What the consultation keeps about a person, for the account's data export and erasure
(registered in ``apps.py`` under the key "suggestions").

Someone may have written before they had an account: by email to the intake address, or anonymously leaving an
address for the answer. Once they hold an account under that address (confirmed at sign-up), those suggestions
and emails are theirs too: the export lists them and the erasure forgets the address."""

from django.db import transaction
from django.db.models import F

from kelisim.consultations.models import Channel, InboundEmail, Suggestion, Support
from kelisim.core.workflow import record_history


def _sent_from_their_address(user):
    """Suggestions left without an account under the address this account holds (confirmed by its owner)."""
    if not user.email:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(author__isnull=True, contact_email__iexact=user.email).exclude(
        contact_email_confirmed_at__isnull=True, channel=Channel.WEB
    )


def _emails_from(user):
    return InboundEmail.objects.filter(sender__iexact=user.email) if user.email else InboundEmail.objects.none()


def export_personal_data(user) -> dict:
    mine = Suggestion.objects.filter(author=user) | _sent_from_their_address(user)
    return {
        "suggestions": [
            {
                "reference": suggestion.reference,
                "document": str(suggestion.version.document),
                "title": suggestion.title,
                "text": suggestion.text,
                "status": suggestion.status,
                "channel": suggestion.channel,
                "sent_at": suggestion.created_at.isoformat(),
                "official_answer": suggestion.answer_text,
                "sent_without_an_account": suggestion.author_id is None,
            }
            for suggestion in mine.select_related("version__document").order_by("created_at", "pk")
        ],
        "emails_received": [
            {
                "received_at": email.received_at.isoformat(),
                "subject": email.subject,
                "text": email.text,
                "became": email.get_outcome_display(),
                "suggestion": email.suggestion.reference if email.suggestion else "",
            }
            for email in _emails_from(user).select_related("suggestion").order_by("received_at", "pk")
        ],
    }


@transaction.atomic
def erase_personal_data(user) -> None:
    """Before an account is deleted: its public suggestions stay, without an author; its supports go."""
    for suggestion in Suggestion.objects.filter(author=user):
        suggestion.author = None
        record_history(suggestion, actor=None, reason="author erased their account")
        suggestion.save(update_fields=["author"])
    Suggestion.history.filter(author=user).update(author=None)
    for suggestion_id in Support.objects.filter(user=user).values_list("suggestion", flat=True):
        Suggestion.objects.filter(pk=suggestion_id, support_count__gt=0).update(support_count=F("support_count") - 1)
    Support.objects.filter(user=user).delete()
    Suggestion.objects.filter(assigned_to=user).update(assigned_to=None)
    # What they sent before having an account stays as public input, without the address to reach them.
    _sent_from_their_address(user).update(contact_email="", contact_email_confirmed_at=None, contact_token="")
    _emails_from(user).update(sender="")
