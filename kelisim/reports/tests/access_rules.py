"""Who may open the report addresses: everyone, for published consultation versions."""

from kelisim.core.tests.access import EVERYONE, Rule


def _version(world) -> dict:
    return {"slug": "world-draft", "number": world.consultation_version.number}


ACCESS_RULES = [
    Rule("reports:consultation", kwargs=_version, allowed=EVERYONE),
    Rule("reports:consultation_pdf", kwargs=_version, allowed=EVERYONE),
]
