from django import template
from django.utils.html import format_html

from kelisim.core import pagecache
from kelisim.core.submission import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden one-time token for a form that creates something (see ``kelisim.core.submission``); in a page
    rendered for keeping, the marker each answer replaces with a token of its own."""
    token = pagecache.SUBMISSION_MARKER if pagecache.is_rendering_for_keeping() else new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
