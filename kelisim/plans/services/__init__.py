"""Every write of the action plan, by sub-domain: ``versions`` (the plan, its versions, publication and
adoption), ``items`` (a working copy's objectives, items and indicators; roundtable decisions taken into the
plan) and ``implementation`` (progress). Views, the API, the demo, tests and other apps call them through
this package."""

from kelisim.plans.models import ITEM_FIELDS
from kelisim.plans.services.implementation import record_progress, refresh_indicator_progress, set_progress_source
from kelisim.plans.services.items import (
    incorporate_suggestion,
    remove_item,
    save_indicator,
    save_item,
    save_objective,
)
from kelisim.plans.services.versions import (
    adopt_plan,
    latest_published,
    publish_version,
    renumber,
    save_plan,
    start_version,
    working_copy_for_changes,
    working_version,
)

__all__ = [
    "ITEM_FIELDS",
    "adopt_plan",
    "incorporate_suggestion",
    "latest_published",
    "publish_version",
    "record_progress",
    "refresh_indicator_progress",
    "remove_item",
    "renumber",
    "save_indicator",
    "save_item",
    "save_objective",
    "save_plan",
    "set_progress_source",
    "start_version",
    "working_copy_for_changes",
    "working_version",
]
