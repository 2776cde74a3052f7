"""The action plan's extension points, filled by later apps from their ``AppConfig.ready()``; plans never
imports those apps.

- Trace steps: suggestion -> agenda item -> decision -> plan item is drawn by plans; later apps (contracts,
  activities, indicator values) add their steps for the same plan items::

      registry.register_trace_step(registry.TraceStep(
          key="contracts", template_name="funding/trace_step.html",
          context=lambda tracked_items: {"contracts": ...}, order=30))

  ``context`` receives the list of ``TrackedItem`` on the page and returns the template context, or None
  when it has nothing for them (``plans.trace.trace_steps`` renders them in order).
- The indicator reader: the app that knows indicator values (activities) gives, for one tracked item, its
  indicators with their yearly actual values and targets (``plans.progress.IndicatorReading``), from which
  ``plans.progress`` computes the progress of items that follow their indicators.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TraceStep:
    key: str
    template_name: str
    context: Callable[[list], dict | None]
    order: int = 100


_steps: dict[str, TraceStep] = {}


def register_trace_step(step: TraceStep) -> None:
    _steps[step.key] = step


def registered_trace_steps() -> list[TraceStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.key))


Reader = Callable[[object], list]
_reader: Reader | None = None


def register_indicator_reader(reader: Reader) -> None:
    """Called once by the app that knows indicator values (activities)."""
    global _reader
    _reader = reader


def indicator_reader() -> Reader | None:
    return _reader
