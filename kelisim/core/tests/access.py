"""The authorization table's vocabulary. Each app lists its URLs in ``tests/*access_rules.py``::

    ACCESS_RULES = [Rule("organisations:list", allowed=EVERYONE), ...]

and ``kelisim/tests/test_access.py`` requests every rule as every actor, failing on any
difference from ``allowed`` and on any URL pattern that no rule covers.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = (
    "anonymous",
    "citizen",
    "ngo_member",  # an active member of world.organisation
    "ngo_admin",  # an admin of world.organisation (the owner)
    "ngo_admin_other",  # an admin of world.other_organisation only (a non-owner)
    "officer",
    "reviewer",
    "moderator",
    "administrator",
)
EVERYONE = frozenset(ACTORS)
SIGNED_IN = EVERYONE - {"anonymous"}
STAFF = frozenset({"officer", "moderator", "administrator"})
OFFICERS = frozenset({"officer", "administrator"})
MODERATORS = frozenset({"moderator", "administrator"})
ADMINISTRATORS = frozenset({"administrator"})
NOBODY = frozenset()


@dataclass(frozen=True)
class Rule:
    url_name: str
    allowed: frozenset | set
    kwargs: Callable[[object], dict] | None = None
    method: str = "GET"
    data: Callable[[object], dict] | None = None
    query: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.allowed) - set(ACTORS)
        if unknown:
            raise ValueError(f"{self.url_name}: unknown actors {sorted(unknown)}")


def page_and_form(url_name: str, *, data: Callable[[object], dict], **fields) -> list[Rule]:
    """The two rules of a page with a form, for the same actors: showing it (GET) and sending it (POST)."""
    return [Rule(url_name, **fields), Rule(url_name, method="POST", data=data, **fields)]
