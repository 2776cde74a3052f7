from django.utils.translation import gettext as _

from kelisim.notifications.registry import Followable, Kind, register_followable, register_kind
from kelisim.organisations.models import Organisation


def register() -> None:
    register_kind(
        Kind(
            "organisations.verification",
            lambda p: (
                _("%(name)s: the verification status is now “%(status)s”.")
                % {"name": p["name"], "status": dict(Organisation.Verification.choices).get(p["status"], "")}
            ),
        )
    )
    register_followable(
        Followable(
            Organisation._meta.label_lower,
            is_public=lambda organisation: organisation.verification_status != Organisation.Verification.EXCLUDED,
        )
    )
