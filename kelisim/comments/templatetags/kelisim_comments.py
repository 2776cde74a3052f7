from django import template

from kelisim.comments import parts, rules, selectors
from kelisim.comments.registry import commentable_for

register = template.Library()


@register.inclusion_tag("comments/includes/section.html", takes_context=True)
def comment_section(context, target):
    """The comments of any registered object, rendered for this visitor: count, policy link, form and the first
    thread page. (On a page kept for every reader: ``comments/includes/kept_section.html``.)"""
    request = context["request"]
    page = selectors.first_thread_page(target)  # whether older comments exist is known without a count
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "count": selectors.published_count(target),
        **parts.form_context(request, target),
        **parts.thread_context(request, target, page),
    }


@register.simple_tag(takes_context=True)
def comments_host(context, target) -> str:
    """Before a kept page's comment parts: they take their host from the page instead of reading it again."""
    if request := context.get("request"):
        parts.remember_host(request, target)
    return ""


@register.filter
def commentable_key(target) -> str:
    """``app_label.model`` of a registered host, as the comments' addresses name it."""
    return commentable_for(target).key


@register.filter
def comments_are_open(target) -> bool:
    return commentable_for(target).comments_open(target)


@register.filter
def published_comment_count(target) -> int:
    return selectors.published_count(target)


@register.filter
def editable_by(comment, user) -> bool:
    return rules.can_edit_comment(user, comment)


@register.filter
def deletable_by(comment, user) -> bool:
    return rules.can_delete_comment(user, comment)
