"""The plan page's compact lines, written in Python: 300 items through the template engine cost most of the page's
first rendering (issue 13)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kelisim.core.templatetags.kelisim import localized

register = template.Library()


@register.simple_tag
def plan_lines(items) -> str:
    """``<ul class="plan-lines">`` of the items (each with ``number``, ``url`` and ``status_label``, as
    ``selectors.with_labels`` gives them): number, code, the text's first 140 characters, status and progress."""
    follows = format_html(' <span class="muted progress-source">({})</span>', gettext("progress follows indicators"))
    lines = []
    for item in items:
        tracked = item.tracked
        lines.append(
            format_html(
                '<li class="plan-line" id="{code}"><span class="plan-number">{number}</span> <a href="{url}" '
                'class="plan-code">{code}</a> {text} <span class="badge status-{status}">{label}</span> '
                "{progress} %{follows}</li>",
                code=tracked.code,
                number=item.number,
                url=item.url,
                text=localized(item, "text", truncate=140),
                status=tracked.status,
                label=item.status_label,
                progress=tracked.progress,
                follows=follows if tracked.follows_indicators else "",
            )
        )
    # Each line was built by format_html, which escaped every value in it.
    return mark_safe('<ul class="plan-lines">' + "".join(lines) + "</ul>")
