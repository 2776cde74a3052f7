"""What each kind of notification says, registered by the app that sends it (notifications imports no domain app).

``register_kind(Kind("consultations.answer", lambda params: _("…") % params))``: the text is made when it is
shown or mailed, in the reader's language, from the parameters stored with the notification. A parameter that is
content with a text per language (a call's title) is stored as ``core.i18n.in_each_language(...)`` and reaches the
kind's text in the reader's language.
"""

from collections.abc import Callable
from dataclasses import dataclass

from kelisim.core.i18n import in_reader_language


@dataclass(frozen=True)
class Kind:
    key: str
    text: Callable[[dict], str]  # params -> one sentence in the active language


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.key] = kind


def render(key: str, params: dict) -> str:
    params = {name: in_reader_language(value) for name, value in params.items()}
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
