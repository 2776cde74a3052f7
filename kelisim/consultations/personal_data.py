"""What the consultation keeps about a person, for the account's data export and erasure
(registered in ``apps.py`` under the key "suggestions")."""

from django.db import transaction
from django.db.models import F

from kelisim.consultations.models import Suggestion, Support
from kelisim.core.workflow import record_history


def export_personal_data(user) -> list[dict]:
    return [
        {
            "reference": suggestion.reference,
            "document": str(suggestion.version.document),
            "title": suggestion.title,
            "text": suggestion.text,
            "status": suggestion.status,
            "sent_at": suggestion.created_at.isoformat(),
            "official_answer": suggestion.answer_text,
        }
        for suggestion in Suggestion.objects.filter(author=user).select_related("version__document")
    ]


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
