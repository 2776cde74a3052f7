from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from kelisim.core import registry
from kelisim.core.i18n import LANGUAGE_NOTES, active_language

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page in another language (same path under another prefix, query kept)."""
    request = context.get("request")
    if request is None:
        return f"/{language_code}/"
    found = request.__dict__.setdefault("_kelisim_urls_in_language", {})
    if language_code not in found:
        url = _reversed_in_language(request, language_code) or translate_url(request.get_full_path(), language_code)
        if url == request.get_full_path() and not url.startswith(f"/{language_code}/"):
            url = f"/{language_code}/"
        found[language_code] = url
    return found[language_code]


def _reversed_in_language(request, language_code: str) -> str | None:
    """What ``translate_url`` gives, from the request's own match: every page names each language twice (the
    head's alternates, the switcher), and resolving the path again for each cost more than the rest of the header."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return None
    try:
        with override(language_code):
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None
    query = request.get_full_path().partition("?")[2]
    return f"{path}?{query}" if query else path


@register.simple_tag(takes_context=True)
def sign_in_next(context, login_url: str) -> str:
    """``?next=`` for the header's "Sign in" link: after signing in the visitor is back on the page they were reading.

    Not on the account pages themselves (signing in from the sign-up page leads to the person's home instead).
    """
    request = context.get("request")
    if request is None or request.method != "GET":
        return ""
    accounts_prefix = login_url.rsplit("/", 2)[0] + "/"  # /en/accounts/
    if request.path.startswith(accounts_prefix) or request.path in ("", "/"):
        return ""
    return "?" + urlencode({"next": request.get_full_path()})


@register.simple_tag(takes_context=True)
def account_links(context) -> list[dict]:
    """The signed-in person's header links registered by later apps, with their badges (core.registry)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    links = []
    for link in registry.account_links():
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        badge = link.badge(request) if link.badge else 0
        badge_label = link.badge_label(badge) if badge and link.badge_label else ""
        current = request.path.startswith(url)
        links.append({"label": link.label, "url": url, "badge": badge, "badge_label": badge_label, "current": current})
    return links


@register.simple_tag(takes_context=True)
def visitor_part(context, template_name: str, **arguments) -> str:
    """A part of a page that depends on who reads it (their header links, their messages, whether they support a
    suggestion): its template rendered with the context its registered function gives for this reader
    (``pagecache.visitor_part``). In a page rendered for keeping it is written between markers naming the template
    and ``arguments``, so that a signed-in reader answered from the kept page gets their own part in its place."""
    from kelisim.core import pagecache

    request = context.get("request")
    extra = pagecache.visitor_part_context(template_name, request, arguments) if request is not None else {}
    with context.push(**{**arguments, **extra}):  # what the part's function gives wins over the tag's arguments
        rendered = context.template.engine.get_template(template_name).render(context)
    if context.get("kept_page"):
        marker = pagecache.visitor_part_marker(template_name, arguments)
        return mark_safe(f"<!--visitor:{marker}-->{rendered}<!--/visitor-->")
    return rendered


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[dict]:
    request = context.get("request")
    path = request.path if request else ""
    items = []
    for entry in registry.navigation():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = path.startswith(url) if entry.url_name != "core:home" else path == url
        items.append({"label": entry.label, "url": url, "active": active})
    return items


@register.filter
def field_type(bound_field) -> str:
    return bound_field.field.widget.__class__.__name__.lower()


@register.inclusion_tag("core/includes/pagination.html", takes_context=True)
def pagination(context, page_obj, label=None):
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query": query.urlencode(), "label": label or _("Pages")}


@register.simple_tag(takes_context=True)
def object_panels(context, obj):
    """The panels later apps registered for ``obj`` (activities on an organisation, a contract, …)."""
    from django.utils.safestring import mark_safe

    # Each panel was rendered by the template engine, which escaped its content.
    return mark_safe("".join(registry.render_object_panels(obj, context.get("request"))))


@register.simple_tag(takes_context=True)
def filters_fold(context):
    """Opens a filter sidebar that folds away on a phone: ``{% filters_fold %}<form class="filters">…</form>
    </details>``. Open when filters are in use (and, through core/filters.js, on wide screens)."""
    request = context.get("request")
    opened = " open" if request is not None and any(key != "page" for key in request.GET) else ""
    return format_html(
        '<details class="filters-fold"{}><summary>{}</summary>', mark_safe(opened), _("Search and filters")
    )


@register.simple_tag
def table_head(*labels):
    """A table's ``<thead>``: one column heading per label (``{% table_head _("When") _("Who") %}``); an empty
    label leaves the cell above a column of buttons empty (a ``td``: a header without a name helps no one)."""
    cells = (format_html('<th scope="col">{}</th>', label) if label else mark_safe("<td></td>") for label in labels)
    headings = format_html_join("", "{}", ((cell,) for cell in cells))
    return format_html("<thead><tr>{}</tr></thead>", headings)


@register.simple_tag
def web_link(url, label=""):
    """``{% web_link url label %}``: a link to another site (http/https only, rel="nofollow ugc noopener"); an
    address of any other kind is shown as plain text."""
    from kelisim.core.links import web_link as render

    return render(url, label)


def _note_html(note, reader: str) -> str:
    return format_html('<small class="language-note" lang="{}">({})</small>', reader, note) if note else ""


@register.simple_tag
def language_note(language: str):
    """The note for a whole text written in ``language`` (a news article is written in one language): nothing when
    it is the reader's language. ``{% language_note article.language %}`` beside its title."""
    reader = active_language()
    return _note_html(LANGUAGE_NOTES.get(language, "") if language != reader else "", reader)


def _first_characters(text: str, length: int) -> str:
    """The text, or its first ``length`` - 1 characters and an ellipsis. (Django's Truncator also skips combining
    marks, looking at every character of the text; stored texts are NFC, where Kazakh, Russian and English letters
    have none.)"""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@register.simple_tag
def localized(obj, attribute: str, block: bool = False, linebreaks: bool = False, truncate: int = 0):
    """A content field in the reader's language; text from another language is marked with its ``lang`` and a note.

    ``{% localized roundtable "title" %}``; ``block=True`` for a paragraph-sized text (a ``div`` instead of a
    ``span``), ``linebreaks=True`` to keep its paragraphs, ``truncate=140`` for its first characters in a list.
    Written in Python rather than as an included template: a plan page shows it for 300 items.
    """
    from django.template.defaultfilters import linebreaks_filter

    value = getattr(type(obj), attribute).resolve(obj)
    text = _first_characters(value.text, truncate) if truncate else value.text
    shown = linebreaks_filter(text, autoescape=True) if linebreaks else conditional_escape(text)
    if not value.fallback:
        return shown
    wrapper = '<div lang="{}">{}</div>' if block else '<span lang="{}">{}</span>'
    note = _note_html(LANGUAGE_NOTES.get(value.language, ""), value.wanted)
    return format_html(wrapper + " {}", value.language, shown, note)
