"""The trace page's extension point: suggestion -> agenda item -> decision -> plan item is drawn by this
app; later apps (contracts, activities, indicator values) add their steps for the same plan items.

    trace.register_trace_step(trace.TraceStep(
        key="contracts", template_name="funding/trace_step.html",
        context=lambda tracked_items: {"contracts": ...}, order=30))

``context`` receives the list of ``TrackedItem`` on the page and returns the template context, or None
when it has nothing for them. Register from the app's ``AppConfig.ready()``.
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


def trace_steps(tracked_items: list) -> list[tuple[str, dict]]:
    rendered = []
    for step in sorted(_steps.values(), key=lambda step: (step.order, step.key)):
        context = step.context(tracked_items) if tracked_items else None
        if context is not None:
            rendered.append((step.template_name, context))
    return rendered
