"""What consultations' notifications say (registered with kelisim.notifications), and what may be followed."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kelisim.consultations.models import Document, Status
from kelisim.notifications.registry import Followable, Kind, register_followable, register_kind


def _status(params: dict) -> str:
    return str(dict(Status.choices).get(params.get("status"), params.get("status", "")))


def register() -> None:
    register_kind(
        Kind(
            "consultations.answer",
            lambda p: (
                _("Your suggestion %(reference)s has an official answer: %(status)s.")
                % {"reference": p["reference"], "status": _status(p)}
            ),
        )
    )
    register_kind(
        Kind(
            "consultations.status",
            lambda p: (
                _("Your suggestion %(reference)s is now: %(status)s.")
                % {"reference": p["reference"], "status": _status(p)}
            ),
        )
    )
    register_kind(
        Kind(
            "consultations.assigned",
            lambda p: (
                ngettext(
                    "Suggestion %(reference)s was assigned to you.",
                    "%(count)d suggestions were assigned to you.",
                    p["count"],
                )
                % {"reference": p["reference"], "count": p["count"]}
            ),
        )
    )
    register_kind(
        Kind(
            "consultations.new_version",
            lambda p: _("A new version of “%(title)s” is open for suggestions.") % {"title": p["title"]},
        )
    )
    register_followable(Followable(Document._meta.label_lower))
