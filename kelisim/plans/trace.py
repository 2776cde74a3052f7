"""The trace pages' later steps: what other apps registered with ``registry.register_trace_step``."""

from kelisim.plans.registry import registered_trace_steps


def trace_steps(tracked_items: list) -> list[tuple[str, dict]]:
    rendered = []
    for step in registered_trace_steps():
        context = step.context(tracked_items) if tracked_items else None
        if context is not None:
            rendered.append((step.template_name, context))
    return rendered
