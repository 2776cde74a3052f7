"""Extension points through which later apps add to core pages without core importing them.

An app registers in its ``AppConfig.ready()``; core only iterates what was registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeFigure:
    """A headline number on the home page; ``value`` must count exactly what ``url_name``'s list shows."""

    key: str
    label: Callable[[int], str]  # count -> text in the active language, through ngettext ("1 roundtable held")
    value: Callable[[], int]
    url_name: str = ""
    order: int = 100


_home_figures: dict[str, HomeFigure] = {}


def register_home_figure(figure: HomeFigure) -> None:
    _home_figures[figure.key] = figure


def home_figures() -> list[HomeFigure]:
    return sorted(_home_figures.values(), key=lambda figure: (figure.order, figure.key))


@dataclass(frozen=True)
class AccountLink:
    """A link in the header for a signed-in person ("My work", the notification inbox), added by a later app.

    ``badge(request)`` (optional) returns a number shown beside the label (unread notifications); 0 hides it.
    ``badge_label(count)`` says what the number is, for screen readers ("3 unread").
    """

    url_name: str
    label: str  # a lazy translation
    order: int = 100
    badge: Callable[[object], int] | None = None
    badge_label: Callable[[int], str] | None = None


_account_links: dict[str, AccountLink] = {}


def register_account_link(link: AccountLink) -> None:
    _account_links[link.url_name] = link


def account_links() -> list[AccountLink]:
    return sorted(_account_links.values(), key=lambda link: (link.order, link.url_name))


_signed_in_readings: dict[str, Callable[[], object]] = {}


def register_signed_in_reading(attribute: str, expression: Callable[[], object]) -> None:
    """A value read with the signed-in user, in the same query as the account (the unread notifications the
    header shows on every page): ``expression()`` returns a query expression on the user's row (a subquery by
    ``OuterRef("pk")``), found on the user as ``attribute``."""
    _signed_in_readings[attribute] = expression


def signed_in_readings() -> dict[str, object]:
    return {attribute: expression() for attribute, expression in sorted(_signed_in_readings.items())}


def signed_in_readings_names() -> list[str]:
    return sorted(_signed_in_readings)


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


@dataclass(frozen=True)
class ProfileSection:
    """A panel on the signed-in user's profile page, contributed by a later app."""

    key: str
    template_name: str
    context: Callable[[object], dict]  # request -> template context
    order: int = 100


_profile_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> None:
    _profile_sections[section.key] = section


def profile_sections() -> list[ProfileSection]:
    return sorted(_profile_sections.values(), key=lambda section: (section.order, section.key))


# Personal data: each app that stores data about a person says what to export and how to erase it.
_personal_data_exporters: dict[str, Callable[[object], object]] = {}
_account_erasers: dict[str, Callable[[object], None]] = {}


def register_personal_data(key: str, exporter: Callable[[object], object]) -> None:
    """``exporter(user)`` returns JSON-serialisable data; it appears under ``key`` in the export."""
    _personal_data_exporters[key] = exporter


def personal_data_exporters() -> dict[str, Callable[[object], object]]:
    return dict(sorted(_personal_data_exporters.items()))


def register_account_eraser(key: str, eraser: Callable[[object], None]) -> None:
    """``eraser(user)`` removes or anonymises the app's personal data before the account is deleted."""
    _account_erasers[key] = eraser


def account_erasers() -> dict[str, Callable[[object], None]]:
    return dict(sorted(_account_erasers.items()))


@dataclass(frozen=True)
class ObjectPanel:
    """A panel a later app adds to an earlier app's detail page (e.g. "went into plan item 2.1.3" on a
    suggestion). ``context(obj)`` returns the template context, or None to show nothing for that object."""

    key: str
    template_name: str
    context: Callable[[object], dict | None]
    order: int = 100


_object_panels: dict[str, dict[str, ObjectPanel]] = {}


def register_object_panel(model_label: str, panel: ObjectPanel) -> None:
    """``model_label`` is "app_label.modelname", e.g. "consultations.suggestion"."""
    _object_panels.setdefault(model_label, {})[panel.key] = panel


def object_panels(obj) -> list[tuple[str, dict]]:
    """The (template name, context) of every panel registered for ``obj``'s model that has something to show."""
    label = obj._meta.label_lower
    rendered = []
    for panel in sorted(_object_panels.get(label, {}).values(), key=lambda panel: (panel.order, panel.key)):
        context = panel.context(obj)
        if context is not None:
            rendered.append((panel.template_name, context))
    return rendered


def render_object_panels(obj, request=None) -> list[str]:
    """The registered panels for ``obj`` as HTML, ready for ``{% for panel in panels %}{{ panel }}{% endfor %}``."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    # The template engine has escaped the content already.
    return [mark_safe(render_to_string(name, context, request=request)) for name, context in object_panels(obj)]


@dataclass(frozen=True)
class PeriodicTask:
    """A background task enqueued every ``every_seconds`` by ``manage.py run_periodic``.

    The task itself must be safe to run twice at once (claim work with conditional updates).
    """

    key: str
    task: object  # a django_tasks Task
    every_seconds: int


_periodic_tasks: dict[str, PeriodicTask] = {}


def register_periodic(periodic: PeriodicTask) -> None:
    _periodic_tasks[periodic.key] = periodic


def periodic_tasks() -> list[PeriodicTask]:
    return sorted(_periodic_tasks.values(), key=lambda periodic: periodic.key)


@dataclass(frozen=True)
class SitemapSection:
    """One section of the site map: ``/sitemap-<key>.xml``, listed in the index at ``/sitemap.xml``.

    ``sitemap`` is a ``kelisim.core.sitemaps.SectionSitemap`` subclass listing the app's public pages and
    its public, published objects only."""

    key: str
    sitemap: type
    order: int = 100


_sitemap_sections: dict[str, SitemapSection] = {}


def register_sitemap(section: SitemapSection) -> None:
    _sitemap_sections[section.key] = section


def sitemap_sections() -> list[SitemapSection]:
    return sorted(_sitemap_sections.values(), key=lambda section: (section.order, section.key))


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset: its address (a path, absolute or under the reader's language prefix), media type
    and format name ("CSV", "JSON", "XLSX", "XML")."""

    path: str
    media_type: str
    format: str
    title: str = ""


@dataclass(frozen=True)
class Column:
    name: str
    description: str  # a lazy translation


@dataclass(frozen=True)
class Dataset:
    """A dataset of the data catalogue (``/data/``, DCAT): what it is, its files, when it last changed, and the
    meaning of its columns (or the standard whose schema documents them)."""

    key: str
    title: str  # a lazy translation
    description: str  # a lazy translation
    distributions: Callable[[], list[Distribution]]
    modified: Callable[[], object]  # the datetime of the last change, or None
    columns: tuple[Column, ...] = ()
    conforms_to: str = ""  # the URL of the standard the files follow
    keywords: tuple[str, ...] = ()
    order: int = 100


_datasets: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> None:
    _datasets[dataset.key] = dataset


def datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda dataset: (dataset.order, dataset.key))


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""
    language: str = ""  # the language of the title, when the object has one (lang attribute on the page)


@dataclass(frozen=True)
class SearchKind:
    """One kind of thing the header's search box finds (suggestions, plan items, …), added by its app.

    ``search(query, user, limit)`` returns how many the visitor may see and the first ``limit`` of them, best
    first, using the app's own rules of visibility; ``list_url(query)`` is the app's list filtered by the same
    words, which shows the same count.
    """

    key: str
    label: Callable[[int], str]  # count -> "suggestions" in the right plural form
    search: Callable[[str, object, int], tuple[int, list[SearchHit]]]
    list_url: Callable[[str], str]
    order: int = 100


_search_kinds: dict[str, SearchKind] = {}


def register_search_kind(kind: SearchKind) -> None:
    _search_kinds[kind.key] = kind


def search_kinds() -> list[SearchKind]:
    return sorted(_search_kinds.values(), key=lambda kind: (kind.order, kind.key))
