from django.utils.translation import gettext as _

from kelisim.activities.models import ReportStatus
from kelisim.notifications.registry import Kind, register_kind


def _text(p: dict) -> str:
    if p["status"] == ReportStatus.RETURNED:
        return _("The activity report “%(title)s” was returned for correction: %(comment)s") % p
    return _("The activity report “%(title)s” was verified.") % p


def register() -> None:
    register_kind(Kind("activities.report", _text))
