"""The registry through which the plans app (which comes later) plugs into roundtables.

Roundtables name plan items only by their stable codes; the plans app registers how to turn codes into
labels and links, and which page records an "incorporate into the plan" decision. Without it, codes are
shown as plain text and that decision is not offered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemRef:
    code: str
    label: str
    url: str


@dataclass(frozen=True)
class PlanLinks:
    describe: Callable[[list[str]], dict[str, ItemRef]]
    incorporate_url_name: str


_plan_links: list[PlanLinks] = []


def register_plan_links(links: PlanLinks) -> None:
    _plan_links[:] = [links]


def plan_links() -> PlanLinks | None:
    return _plan_links[0] if _plan_links else None


def describe_codes(codes: list[str]) -> dict[str, ItemRef]:
    links = plan_links()
    if links is None or not codes:
        return {}
    return links.describe(codes)
