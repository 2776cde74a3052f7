from django import template
from django.contrib.messages import get_messages

from kelisim.accounts.permissions import is_moderator
from kelisim.comments import rules, selectors
from kelisim.comments.forms import CommentForm
from kelisim.comments.models import MAX_COMMENT_LENGTH
from kelisim.comments.registry import commentable_for

register = template.Library()


NOTICE_TAG = "comment-notice"


@register.inclusion_tag("comments/includes/section.html", takes_context=True)
def comment_section(context, target):
    """The comments of any registered object: count, policy link, form and the first thread page."""
    request = context["request"]
    spec = commentable_for(target)
    if spec.counter_field:  # the total is the host's counter; the first page needs no count of its own
        page = selectors.first_thread_page(target)
        count = getattr(target, spec.counter_field)
    else:
        page = selectors.thread_page(target, page_number=1)
        count = page.paginator.count
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
        "can_moderate": is_moderator(request.user),
        # "Thank you" after sending a comment is shown here, where the page lands, not at the top (issue 15).
        "notices": [message for message in get_messages(request) if NOTICE_TAG in message.tags.split()],
    }


@register.filter
def editable_by(comment, user) -> bool:
    return rules.can_edit_comment(user, comment)


@register.filter
def deletable_by(comment, user) -> bool:
    return rules.can_delete_comment(user, comment)
