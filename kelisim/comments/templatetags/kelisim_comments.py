from django import template

from kelisim.comments import selectors
from kelisim.comments.forms import CommentForm
from kelisim.comments.models import MAX_COMMENT_LENGTH
from kelisim.comments.registry import commentable_for

register = template.Library()


@register.inclusion_tag("comments/includes/section.html", takes_context=True)
def comment_section(context, target):
    """The comments of any registered object: count, policy link, form and the first thread page."""
    request = context["request"]
    spec = commentable_for(target)
    page = selectors.thread_page(target, page_number=1)
    count = getattr(target, spec.counter_field) if spec.counter_field else page.paginator.count
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "target_key": spec.key,
        "target_url": spec.url(target),
        "comments_open": spec.comments_open(target),
        "page": page,
        "count": count,
        "form": CommentForm(user=request.user),
        "max_length": MAX_COMMENT_LENGTH,
        "can_moderate": request.user.is_authenticated and request.user.is_moderator,
    }


@register.filter
def editable_by(comment, user) -> bool:
    return comment.is_editable_by(user)


@register.filter
def deletable_by(comment, user) -> bool:
    return comment.is_deletable_by(user)
