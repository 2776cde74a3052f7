"""Plan items whose progress follows their indicators (``kelisim.plans.progress``): what activities gives plans.

``indicator_readings`` is the reader plans calls (registered in ``ActivitiesConfig.ready``): the indicators of
an item's latest published text, with the yearly actual values and targets of ``selectors.indicator_values``,
the figures the public indicator table shows. ``refresh`` asks plans to recompute items after their
indicator values changed (a report verified or reopened, a manual value, a rule, the summary rebuild).
"""

from kelisim.activities import selectors


def indicator_readings(tracked) -> list:
    from kelisim.plans.progress import IndicatorReading

    readings = []
    for row in selectors.item_indicators(tracked):
        values = row["values"]
        readings.append(
            IndicatorReading(
                name=row["indicator"].name,
                measured=bool(row["rule"]),
                actual_by_year={value.year: value.actual for value in values if value.actual is not None},
                target_by_year={value.year: value.target for value in values if value.target is not None},
            )
        )
    return readings


def refresh(tracked_ids, *, actor=None) -> int:
    """Recompute the progress of these plan items (those that follow their indicators); None means all."""
    from kelisim.plans import services as plan_services

    if tracked_ids is not None:
        tracked_ids = {pk for pk in tracked_ids if pk}
        if not tracked_ids:
            return 0
    return plan_services.refresh_indicator_progress(tracked_ids=tracked_ids, actor=actor)
