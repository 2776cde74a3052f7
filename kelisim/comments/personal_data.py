"""What comments keep about a person: exported on request, detached from the account when it is erased."""

from django.db import transaction
from django.utils.translation import gettext as _

from kelisim.comments.models import Comment, CommentReport
from kelisim.core.workflow import record_history


def export_personal_data(user) -> list[dict]:
    return [
        {
            "id": comment.pk,
            "on": f"{comment.content_type.app_label}.{comment.content_type.model}:{comment.object_id}",
            "text": comment.text,
            "status": comment.status,
            "written_at": comment.created_at.isoformat(),
            "moderator_note": comment.moderator_note,
        }
        for comment in Comment.objects.filter(author=user).select_related("content_type").order_by("created_at")
    ]


@transaction.atomic
def erase_personal_data(user) -> None:
    """Before an account is deleted: its comments stay (conversations keep reading) but lose the
    link to the person; the name shown becomes neutral."""
    for comment in Comment.objects.filter(author=user):
        comment.author = None
        comment.author_name = _("Former member")
        comment.author_email = ""
        comment.notify_on_reply = False
        record_history(comment, actor=None, reason="account erased")
        comment.save()
    CommentReport.objects.filter(reporter=user).update(reporter=None)
