"""What the comments under a host show to one reader: the form (with the notice after sending) and the thread.

``comment_section`` renders both inside a page rendered per visitor. On a page kept for every reader
(``comments/includes/kept_section.html``, core.pagecache) they are visitor parts: a signed-in reader gets the kept
page with their own form, and with their own thread only when it differs from everyone's (they wrote in it, or
they moderate it)."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

from kelisim.accounts.permissions import is_moderator
from kelisim.comments import selectors
from kelisim.comments.forms import CommentForm
from kelisim.comments.models import MAX_COMMENT_LENGTH, Comment
from kelisim.comments.registry import commentable_for, commentable_for_key, resolve_target
from kelisim.core import pagecache

NOTICE_TAG = "comment-notice"


def form_context(request, target) -> dict:
    spec = commentable_for(target)
    return {
        "user": request.user,
        "target": target,
        "target_key": spec.key,
        "comments_open": spec.comments_open(target),
        "form": CommentForm(user=request.user),
        "max_length": MAX_COMMENT_LENGTH,
        # "Thank you" after sending a comment is shown here, where the page lands, not at the top (issue 15).
        "notices": [message for message in get_messages(request) if NOTICE_TAG in message.tags.split()],
    }


def thread_context(request, target, page=None) -> dict:
    spec = commentable_for(target)
    return {
        "user": request.user,
        "target": target,
        "target_key": spec.key,
        "comments_open": spec.comments_open(target),
        "page": page if page is not None else selectors.first_thread_page(target),
        "can_moderate": is_moderator(request.user),
    }


def _host(request, target: str, object_id):
    """The public host a part is about, read once per answer (the form and the thread share it). The arguments
    are the template's values when the page renders, the marker's strings when a kept page is answered."""
    object_id = str(object_id)
    hosts = request.__dict__.setdefault("_kelisim_comment_hosts", {})
    if (target, object_id) not in hosts:
        resolved = resolve_target(target, int(object_id)) if object_id.isdigit() else None
        hosts[target, object_id] = resolved[1] if resolved and resolved[0].is_public(resolved[1]) else None
    return hosts[target, object_id]


@pagecache.visitor_part("comments/includes/form_part.html")
def form_part(request, host: str, host_id) -> dict:
    target = _host(request, host, host_id)
    return form_context(request, target) if target is not None else {"comments_open": False}


def _sees_the_thread_as_anyone(request, host: str, host_id: str) -> bool:
    """Every comment shows the same links to every reader except its author's (edit, delete) and moderators'."""
    host_id = str(host_id)
    user = request.user
    if not user.is_authenticated:
        return True
    spec = commentable_for_key(host)
    if is_moderator(user) or spec is None or not host_id.isdigit():
        return False
    content_type = ContentType.objects.get_for_model(spec.model)
    return not Comment.objects.filter(content_type=content_type, object_id=int(host_id), author=user).exists()


@pagecache.visitor_part("comments/includes/thread_part.html", same_as_anonymous=_sees_the_thread_as_anyone)
def thread_part(request, host: str, host_id) -> dict:
    target = _host(request, host, host_id)
    return thread_context(request, target) if target is not None else {"page": None}
