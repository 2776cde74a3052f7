"""Who may open the report addresses: everyone, for published consultation versions."""

from kelisim.core.tests.access import EVERYONE, Rule


def _version(world) -> dict:
    return {"slug": "world-draft", "number": world.consultation_version.number}


ACCESS_RULES = [
    Rule("reports:consultation", kwargs=_version, allowed=EVERYONE),
    Rule("reports:consultation_pdf", kwargs=_version, allowed=EVERYONE),
    Rule("reports:yearly", kwargs=lambda w: {"year": 2017}, allowed=EVERYONE),
    Rule("reports:yearly_pdf", kwargs=lambda w: {"year": 2017}, allowed=EVERYONE),
    Rule("reports:yearly_xlsx", kwargs=lambda w: {"year": 2017}, allowed=EVERYONE),
]
