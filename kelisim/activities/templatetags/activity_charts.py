from django import template
from django.utils.translation import gettext as _

from kelisim.activities import charts

register = template.Library()


@register.simple_tag
def target_chart(values, name=""):
    """Targets against what was reached; the table beneath it is what screen readers read."""
    return charts.target_chart(values, title=_("%(indicator)s: target and reached by year") % {"indicator": name})
