import re

from django.conf import settings
from django.core.checks import Warning

REGISTERED_FORM = re.compile(r"^ocds-[a-z0-9]{6}$")


def ocid_prefix_check(app_configs=None, **kwargs):
    """In production the ocid prefix must be the publisher's own, registered with the OCDS helpdesk."""
    prefix = settings.KELISIM_OCID_PREFIX
    if not REGISTERED_FORM.match(prefix):
        return [Warning(f"KELISIM_OCID_PREFIX {prefix!r} is not of the form ocds-xxxxxx.", id="funding.W001")]
    if settings.PRODUCTION and prefix == "ocds-000000":
        return [
            Warning(
                "KELISIM_OCID_PREFIX is the default, which belongs to nobody.",
                hint="Register yours with the OCDS helpdesk (data@open-contracting.org) and set KELISIM_OCID_PREFIX.",
                id="funding.W002",
            )
        ]
    return []
