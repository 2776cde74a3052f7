"""Extension points through which later apps add to core pages without core importing them.

An app registers in its ``AppConfig.ready()``; core only iterates what was registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeFigure:
    key: str
    label: str  # a lazy translation
    value: Callable[[], int]
    url_name: str = ""
    order: int = 100


_home_figures: dict[str, HomeFigure] = {}


def register_home_figure(figure: HomeFigure) -> None:
    _home_figures[figure.key] = figure


def home_figures() -> list[HomeFigure]:
    return sorted(_home_figures.values(), key=lambda figure: (figure.order, figure.key))


@dataclass(frozen=True)
class NavigationEntry:
    url_name: str
    label: str  # a lazy translation
    order: int = 100


_navigation: dict[str, NavigationEntry] = {}


def register_navigation(entry: NavigationEntry) -> None:
    _navigation[entry.url_name] = entry


def navigation() -> list[NavigationEntry]:
    return sorted(_navigation.values(), key=lambda entry: (entry.order, entry.url_name))
