from django.utils.translation import gettext as _

from kelisim.funding.models import Application, Call
from kelisim.notifications.registry import Followable, Kind, register_followable, register_kind


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def register() -> None:
    register_kind(
        Kind(
            "funding.application",
            lambda p: (
                _("Application “%(title)s”: %(status)s.")
                % {"title": p["title"], "status": _label(Application.Status.choices, p["status"])}
            ),
        )
    )
    register_kind(
        Kind(
            "funding.review_assigned",
            lambda p: (
                _("A review was assigned to you: “%(title)s” (call %(call)s).")
                % {"title": p["title"], "call": p["call"]}
            ),
        )
    )
    register_kind(
        Kind(
            "funding.call_status",
            lambda p: (
                _("The call “%(title)s” is now: %(status)s.")
                % {"title": p["title"], "status": _label(Call.Status.choices, p["status"])}
            ),
        )
    )
    register_followable(Followable(Call._meta.label_lower, is_public=lambda call: call.status != Call.Status.DRAFT))
