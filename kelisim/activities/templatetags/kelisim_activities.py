from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from kelisim.core.links import url_for_each
from kelisim.core.templatetags.formats import short_day

register = template.Library()


@register.simple_tag
def verification_rows(reports) -> str:
    """The rows of the officers' verification queue (fifty a page), written here rather than as a template loop,
    which cost half of the page's rendering. The link's pattern is worked out once per page."""
    reports = list(reports)
    if not reports:
        return format_html('<tr><td colspan="6">{}</td></tr>', gettext("Nothing is waiting for verification."))
    link = url_for_each("activities:report")
    return format_html_join(
        "\n",
        '<tr><td><input type="checkbox" name="report" value="{}" id="report-{}" aria-label="{}"></td>'
        '<td>{}</td><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td class="num">{}</td></tr>',
        (
            (
                report.pk,
                report.pk,
                report.title,
                short_day(report.start_date),
                report.organisation,
                link(report.pk),
                report.title,
                report.region,
                report.participants,
            )
            for report in reports
        ),
    )
