from django.utils.translation import gettext as _

from kelisim.notifications.registry import Followable, Kind, register_followable, register_kind
from kelisim.plans.models import ItemStatus, TrackedItem


def register() -> None:
    register_kind(
        Kind(
            "plans.progress",
            lambda p: (
                _("Plan item %(code)s: %(status)s, %(progress)s%% done.")
                % {
                    "code": p["code"],
                    "progress": p["progress"],
                    "status": dict(ItemStatus.choices).get(p["status"], ""),
                }
            ),
        )
    )
    register_followable(
        Followable(TrackedItem._meta.label_lower, is_public=lambda item: item.first_published_in_id is not None)
    )
