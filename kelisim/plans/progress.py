"""A plan item's progress computed from its indicators, for items an officer set to "follows its indicators".

plans owns the indicators' baselines and targets but not their values: those come from verified activity
reports or manual values with evidence, which a later app (activities) knows about. That app registers a
reader with ``registry.register_indicator_reader``; plans never imports it. The reader gives, for one tracked item,
the indicators of its latest published text with their yearly actual values and targets (the same figures
the public indicator table shows). ``compute`` applies the rule below; ``services.refresh_indicator_progress``
stores the result with a ``ProgressUpdate`` marked as computed.

The rule
--------
- Only *measured* indicators count: those with a declared source (a rule over verified reports, or manual
  values with evidence). An indicator nobody measures does not pull the item down or up.
- The reference year is the latest year, not after the current one, in which at least one measured
  indicator has a target above zero (so, during the programme, the current year; after it, its last year).
- Each measured indicator with a target above zero for that year scores
  ``min(100, actual ÷ target × 100)``, where actual is its value for that year (0 while nothing is
  reported) and never below 0. Indicators without a target that year are left out.
- The item's progress is the mean of those scores, rounded half up to a whole per cent. With no such
  indicator the progress is 0 %.
- The baseline is not subtracted. Actual values count only what was done in the year (verified reports
  or manual values entered for it) and targets are what that year should reach, so the baseline — the
  level before the programme — is a reference shown beside the indicator, not a starting point.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kelisim.plans import registry

# Said when someone types a progress figure for an item whose progress follows its indicators.
REFUSAL = gettext_lazy(
    "This item's progress follows its indicators and cannot be entered by hand. "
    "Switch it to progress entered by hand first."
)


@dataclass(frozen=True)
class IndicatorReading:
    """One indicator of an item as the registered reader sees it (years → values)."""

    name: str
    measured: bool
    actual_by_year: Mapping[int, float] = field(default_factory=dict)
    target_by_year: Mapping[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    name: str
    actual: float
    target: float
    score: float


@dataclass(frozen=True)
class Computation:
    progress: int
    year: int | None
    parts: tuple[Part, ...] = ()

    def as_record(self) -> dict:
        """What a computed progress update keeps, so that its note is written in each reader's language."""
        return {
            "kind": "indicators",
            "progress": self.progress,
            "year": self.year,
            "parts": [[part.name, part.actual, part.target, part.score] for part in self.parts],
        }

    @classmethod
    def from_record(cls, record: dict) -> "Computation":
        parts = tuple(Part(name, actual, target, score) for name, actual, target, score in record.get("parts", []))
        return cls(progress=record.get("progress", 0), year=record.get("year"), parts=parts)

    def note(self) -> str:
        """What the progress update says: the year, each indicator's actual against its target, the mean."""
        if not self.parts:
            return _(
                "Computed from the indicators: none has a target for this year or an earlier one, so the progress "
                "is zero."
            )
        parts = "; ".join(
            _("%(name)s: %(actual)s of %(target)s (%(score)s %%)")
            % {
                "name": part.name,
                "actual": _number(part.actual),
                "target": _number(part.target),
                "score": _number(round(part.score, 1)),
            }
            for part in self.parts
        )
        return _("Computed from the indicators for %(year)s: %(parts)s. Mean: %(progress)s %%.") % {
            "year": self.year,
            "parts": parts,
            "progress": self.progress,
        }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def rule(readings: list[IndicatorReading], *, today: date | None = None) -> Computation:
    """The documented rule (see the module's docstring), on plain numbers."""
    this_year = (today or timezone.localdate()).year
    measured = [reading for reading in readings if reading.measured]
    years = [
        year
        for reading in measured
        for year, target in reading.target_by_year.items()
        if year <= this_year and target and target > 0
    ]
    if not years:
        return Computation(progress=0, year=None)
    year = max(years)
    parts = []
    for reading in measured:
        target = reading.target_by_year.get(year)
        if not target or target <= 0:
            continue
        actual = max(0.0, float(reading.actual_by_year.get(year) or 0))
        parts.append(Part(reading.name, actual, float(target), min(100.0, actual / float(target) * 100)))
    mean = sum(part.score for part in parts) / len(parts)
    return Computation(progress=min(100, math.floor(mean + 0.5)), year=year, parts=tuple(parts))


def can_compute() -> bool:
    return registry.indicator_reader() is not None


def compute(tracked, *, today: date | None = None) -> Computation | None:
    """The item's progress by the rule, or None when no app provides indicator values."""
    reader = registry.indicator_reader()
    if reader is None:
        return None
    return rule(reader(tracked), today=today)


def switched_to_manual_note() -> str:
    return _("From now on the progress is entered by hand; it stays at the last computed value until then.")


def note_of(record: dict) -> str:
    """The note of a progress update written by the system, in the active language."""
    if record.get("kind") == "indicators":
        return Computation.from_record(record).note()
    if record.get("kind") == "switched_to_manual":
        return switched_to_manual_note()
    return ""
