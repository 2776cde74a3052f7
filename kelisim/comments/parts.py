"""What the comments under a host show to one reader: the form (with the notice after sending) and the thread.

``comment_section`` renders both inside a page rendered per visitor. On a page kept for every reader
(``comments/includes/kept_section.html``, core.pagecache) they are visitor parts: a signed-in reader gets the kept
page with their own form; the thread is everyone's, unless they moderate it (the moderators' thread, rendered
once per change) or wrote in it (their own, with links to edit their comments)."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages

from kelisim.accounts.permissions import is_moderator
from kelisim.comments import selectors
from kelisim.comments.forms import CommentForm
from kelisim.comments.models import MAX_COMMENT_LENGTH, Comment
from kelisim.comments.registry import commentable_for, commentable_for_key, resolve_target
from kelisim.core import pagecache

NOTICE_TAG = "comment-notice"


def form_context(
    request, target, *, target_key: str = "", target_id: str = "", comments_open: bool | None = None
) -> dict:
    """The form under ``target``, or under the host named by ``target_key`` and ``target_id`` without reading it."""
    if target is not None:
        spec = commentable_for(target)
        target_key, target_id, comments_open = spec.key, target.pk, spec.comments_open(target)
    return {
        "user": request.user,
        "target": target,
        "target_key": target_key,
        "target_id": target_id,
        "comments_open": comments_open,
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


def remember_host(request, target) -> None:
    """The page rendering the parts has its host at hand: the parts need not read it again."""
    hosts = request.__dict__.setdefault("_kelisim_comment_hosts", {})
    hosts[commentable_for(target).key, str(target.pk)] = target


def _host(request, key: str, object_id):
    """The public host a part is about (``app_label.model`` and primary key), read once per answer. The arguments
    are the template's values when the page renders, the marker's strings when a kept page is answered."""
    object_id = str(object_id)
    hosts = request.__dict__.setdefault("_kelisim_comment_hosts", {})
    if (key, object_id) not in hosts:
        resolved = resolve_target(key, int(object_id)) if object_id.isdigit() else None
        hosts[key, object_id] = resolved[1] if resolved and resolved[0].is_public(resolved[1]) else None
    return hosts[key, object_id]


@pagecache.visitor_part("comments/includes/form_part.html")
def form_part(request, host: str, host_id, comments_open) -> dict:
    """The form as this reader fills it in; whether comments are open was decided when the page was rendered (a
    change to the host renews the page), so the host is not read again."""
    return form_context(request, None, target_key=host, target_id=host_id, comments_open=str(comments_open) == "True")


def _thread_readers(request, host: str, host_id) -> str | None:
    """Every comment shows the same links to every reader except its author's (edit, delete) and moderators'
    (moderate): the thread is everyone's, the moderators' or the author's own."""
    host_id = str(host_id)
    user = request.user
    if not user.is_authenticated:
        return pagecache.ANONYMOUS_VARIANT
    spec = commentable_for_key(host)
    if spec is None or not host_id.isdigit():
        return None
    content_type = ContentType.objects.get_for_model(spec.model)
    if Comment.objects.filter(content_type=content_type, object_id=int(host_id), author=user).exists():
        return None
    return "moderators" if is_moderator(user) else pagecache.ANONYMOUS_VARIANT


@pagecache.visitor_part("comments/includes/thread_part.html", shared_by=_thread_readers)
def thread_part(request, host: str, host_id) -> dict:
    target = _host(request, host, host_id)
    return thread_context(request, target) if target is not None else {"page": None}
