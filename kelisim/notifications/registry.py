"""What each kind of notification says, registered by the app that sends it (notifications imports no domain app).

``register_kind(Kind("consultations.answer", lambda params: _("…") % params))``: the text is made when it is
shown or mailed, in the reader's language, from the parameters stored with the notification.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    text: Callable[[dict], str]  # params -> one sentence in the active language


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.key] = kind


def render(key: str, params: dict) -> str:
    kind = _kinds.get(key)
    if kind is None:
        return params.get("title", key)
    try:
        return str(kind.text(params))
    except (KeyError, TypeError, ValueError):
        return params.get("title", key)


@dataclass(frozen=True)
class Followable:
    """A kind of object people may follow (a consultation, a plan item, a call, an organisation)."""

    model_label: str  # "funding.call"
    is_public: Callable[[object], bool] = lambda obj: True


_followables: dict[str, Followable] = {}


def register_followable(followable: Followable) -> None:
    _followables[followable.model_label] = followable


def followable(model_label: str) -> Followable | None:
    return _followables.get(model_label)
