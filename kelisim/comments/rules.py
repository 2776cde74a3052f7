"""Who may do what with a comment: pure reads that services, views and templates ask alike."""

from django.utils import timezone

from kelisim.accounts.permissions import is_signed_in
from kelisim.comments.models import Comment


def is_own_comment(user, comment: Comment) -> bool:
    return is_signed_in(user) and comment.author_id == user.pk


def can_edit_comment(user, comment: Comment) -> bool:
    """The author, within ten minutes of writing, while the comment is held or published."""
    return (
        is_own_comment(user, comment)
        and comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED)
        and timezone.now() <= comment.editable_until()
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return is_own_comment(user, comment) and comment.status != Comment.Status.DELETED
