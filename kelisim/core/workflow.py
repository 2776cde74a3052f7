"""The one workflow mechanism: every status an object goes through is declared as a ``Workflow`` on its model,
and every service that changes a status calls ``transition``.

    class Call(models.Model):
        class Status(models.TextChoices): ...
        WORKFLOW = Workflow({
            Status.DRAFT: {Status.OPEN},
            Status.OPEN: {Status.CLOSED},
            Status.CLOSED: set(),
        })

    @transaction.atomic
    def transition_call(*, actor, call, to, reason=""):
        require_officer(actor)
        call = Call.objects.select_for_update().get(pk=call.pk)
        previous = transition(call, to=to, actor=actor, reason=reason)
        call.save()

Services that change a status are named ``transition_<object>(*, actor, <object>, to, reason="")``; they
check who may, lock the row, call ``transition`` (which refuses a move the table does not list, sets the
field and records who and why for the history), do what the new status means, and save.
"""

from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

HISTORY_REASON_LENGTH = 100


class Workflow:
    """Which status may follow which; the field holding it (``status`` unless said otherwise)."""

    def __init__(self, transitions: Mapping[str, Iterable[str]], *, field: str = "status"):
        self.field = field
        self.table: dict[str, frozenset[str]] = {
            str(state): frozenset(str(target) for target in targets) for state, targets in transitions.items()
        }

    def __repr__(self) -> str:
        return f"Workflow(field={self.field!r}, states={sorted(self.table)!r})"

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.table)

    def targets(self, current: str) -> frozenset[str]:
        """The statuses that may follow ``current`` (none for an unknown one)."""
        return self.table.get(str(current), frozenset())

    def allows(self, current: str, to: str) -> bool:
        return str(to) in self.targets(current)

    def can_move(self, instance, to: str) -> bool:
        return self.allows(getattr(instance, self.field), to)

    def check(self, instance, to: str) -> None:
        """Raise a ValidationError on the status field, in the reader's words, when the move is not allowed."""
        current = getattr(instance, self.field)
        if self.allows(current, to):
            return
        labels = dict(instance._meta.get_field(self.field).flatchoices)
        message = _("This change of status is not allowed: “%(from)s” → “%(to)s”.") % {
            "from": labels.get(current, current),
            "to": labels.get(to, to),
        }
        raise ValidationError({self.field: message}, code="transition")


def record_history(instance, *, actor, reason: str) -> None:
    """Say who made the next save of ``instance`` and why, for its django-simple-history record.

    Reasons are stored as written by the code (short English facts such as ``"status: open -> closed"``),
    never translated: the history is a record, and the reader's language is applied where it is shown.
    """
    instance._history_user = actor
    instance._change_reason = str(reason or "")[:HISTORY_REASON_LENGTH]


def transition(
    instance,
    *,
    to: str,
    actor,
    reason: str = "",
    workflow: Workflow | None = None,
    after_commit: Callable[[], None] | None = None,
) -> str:
    """Move ``instance`` to ``to`` if its workflow allows it; return the status it had. Does not save.

    The history record (when the model keeps one) is given ``actor`` and ``reason`` (by default
    ``"status: <from> -> <to>"``); ``after_commit`` runs once the surrounding transaction has committed
    (emails, cache bumps, tasks), never for a move that was rolled back.
    """
    workflow = workflow or type(instance).WORKFLOW
    workflow.check(instance, to)
    previous = getattr(instance, workflow.field)
    setattr(instance, workflow.field, str(to))
    record_history(instance, actor=actor, reason=reason or f"{workflow.field}: {previous} -> {to}")
    if after_commit is not None:
        transaction.on_commit(after_commit)
    return previous
