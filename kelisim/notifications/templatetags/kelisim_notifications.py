from django import template

from kelisim.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/includes/follow_button.html", takes_context=True)
def follow_button(context, target):
    """ "Follow" / "Stop following" for a consultation, plan item, call or organisation (a plain form)."""
    request = context["request"]
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "label": target._meta.label_lower,
        "following": selectors.is_following(request.user, target),
    }


@register.filter
def notification_url(notification, language: str) -> str:
    """The notification's page under ``language``'s prefix (emails open in the language they are written in)."""
    return notification.url_in(language)
