"""Comments on any object that takes them (articles now; suggestions, plan items, meetings later).

Reading shows published comments only, never an email address. Writing needs an account token and
goes through the same moderation pipeline as the form: a comment may be published at once, held for
a moderator (``status: pending``), or refused with the pipeline's reason as the error code.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kelisim.api.auth import token_auth
from kelisim.api.errors import Error
from kelisim.api.pagination import Page
from kelisim.api.types import Text
from kelisim.comments import selectors, services
from kelisim.comments.models import Comment
from kelisim.comments.registry import resolve_target
from kelisim.core.i18n import ContentLanguage

router = Router(tags=["comments"])

TARGET_DESCRIPTION = "What the comments are on, as app.model: publications.article."


class CommentOut(Schema):
    id: int
    parent_id: int | None = Field(description="The comment this one replies to (one level deep).")
    author: str = Field(description="The name shown; never an email address.")
    text: str
    language: str
    created_at: datetime
    edited_at: datetime | None
    reply_count: int

    @staticmethod
    def resolve_author(comment: Comment) -> str:
        return comment.display_name


class CommentIn(Schema):
    text: Text = Field(description="Plain text, at most 1500 characters after trimming; no HTML.")
    accept_policy: bool = Field(description="Must be true: the comment policy is accepted.")
    parent_id: int | None = Field(None, description="Reply to this published comment.")
    language: ContentLanguage = Field(ContentLanguage.RUSSIAN, description="Language of the text.")
    notify_on_reply: bool = Field(False, description="Email the account when someone replies.")


class CommentPosted(Schema):
    id: int
    status: str = Field(description="approved (published) or pending (waiting for a moderator).")
    reason: str = Field(description="The pipeline's reason code for that outcome.")


def _public_target(target: str, object_id: int):
    resolved = resolve_target(target.replace("\x00", ""), object_id)
    if resolved is None or not resolved[0].is_public(resolved[1]):
        raise Http404
    return resolved[1]


@router.get(
    "/comments/{target}/{object_id}",
    response={200: list[CommentOut], 404: Error, 422: Error},
    summary="Published comments on an object, oldest first",
    description=TARGET_DESCRIPTION,
)
@paginate(Page)
def list_comments(request, target: str, object_id: int):
    return selectors.published_comments(_public_target(target, object_id))


@router.post(
    "/comments/{target}/{object_id}",
    auth=token_auth,
    response={201: CommentPosted, 401: Error, 404: Error, 422: Error, 429: Error},
    summary="Write a comment with an account token",
    description=f"{TARGET_DESCRIPTION} The same moderation pipeline as the web form; refusals answer 422 with "
    "the reason as the error code (too_long, html, banned_word, too_many_links, duplicate, empty, "
    "author_sanctioned, comments_closed), or 429 (rate_limited: at most 5 a minute per account).",
)
def post_comment(request, target: str, object_id: int, payload: CommentIn):
    obj = _public_target(target, object_id)
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, status=Comment.Status.APPROVED).first()
        if parent is None:
            raise ValidationError({"parent_id": "No such comment."})
    comment = services.post_comment(
        actor=request.auth,
        target=obj,
        text=payload.text,
        language=payload.language.value if hasattr(payload.language, "value") else payload.language,
        policy_accepted=payload.accept_policy,
        parent=parent,
        notify_on_reply=payload.notify_on_reply,
    )
    return Status(201, {"id": comment.pk, "status": comment.status, "reason": comment.reason_code})
