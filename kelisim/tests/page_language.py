"""What a page says in which language: the UI strings of each language (from the committed catalogues) and
the visible text of a rendered page (text nodes and the attributes people read), without the parts that are
marked as another language with ``lang``."""

import re
from collections import defaultdict
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.apps import apps

LANGUAGES = ("kk", "ru", "en")
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
SKIPPED_ELEMENTS = {"script", "style", "template", "textarea", "code", "pre"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|\{\{[^}]*\}\}")
PLACEHOLDER_OR_TEXT = re.compile(r"(%\([a-z_]+\)[sd])")
CODE = re.compile(r"%\((reference|code|refs|references|bin|bins)\)s")
NUMBER = re.compile(
    r"%\((count|counter|n|number|total|min|max|minutes|days|needed|limit|done|overall|share)\)[sd]|%\([a-z_]+\)d"
)


def _app_catalogues():
    for config in apps.get_app_configs():
        if config.name.startswith("kelisim."):
            yield Path(config.path) / "locale"


def _texts(entry, language: str) -> list[str]:
    if language == "en":
        texts = [entry.msgid, *([entry.msgid_plural] if entry.msgid_plural else [])]
        return texts + [text for text in (entry.msgstr, *entry.msgstr_plural.values()) if text]
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


@cache
def ui_strings() -> dict[str, set[str]]:
    """Each language's interface strings, keyed by language."""
    strings: dict[str, set[str]] = defaultdict(set)
    for locale in _app_catalogues():
        for language in LANGUAGES:
            path = locale / language / "LC_MESSAGES" / "django.po"
            if path.exists():
                for entry in polib.pofile(str(path)):
                    if not entry.obsolete:
                        strings[language].update(text for text in _texts(entry, language) if text)
    return strings


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _telling(message: str) -> bool:
    """Long enough to tell a language by (not a code, a symbol or a lone placeholder), and not markup."""
    letters = re.sub(r"[\W\d_]", "", PLACEHOLDER.sub(" ", message))
    return len(letters) >= 4 and "<" not in message


def _pattern(message: str) -> str:
    """A number placeholder stands for digits, any other for some text."""
    pieces = []
    for index, piece in enumerate(PLACEHOLDER_OR_TEXT.split(message.replace("%%", "%"))):
        if index % 2:
            if NUMBER.fullmatch(piece):
                pieces.append(r"[\d\s.,%+\u00a0\u202f-]+")
            else:
                pieces.append(r"[\w./-]+" if CODE.fullmatch(piece) else r".+?")
        else:
            pieces.append(r"\s+".join(re.escape(word) for word in piece.split()))
    return r"\s*".join(piece for piece in pieces if piece)


@cache
def foreign_messages(language: str) -> tuple[dict[str, str], list[tuple[str, re.Pattern]], re.Pattern | None]:
    """The other languages' interface strings that are not also strings of ``language``: literal ones by their
    text, those with placeholders as patterns (and as one pattern to test a text node at once)."""
    strings = ui_strings()
    own = {_normalised(message) for message in strings[language]}
    literal: dict[str, str] = {}
    patterns: list[tuple[str, re.Pattern]] = []
    for other in LANGUAGES:
        if other == language:
            continue
        for message in sorted(strings[other]):
            text = _normalised(message)
            if text in own or not _telling(message):
                continue
            if PLACEHOLDER.search(message):
                patterns.append((f"{other}: {message!r}", re.compile(_pattern(text), re.DOTALL)))
            else:
                literal.setdefault(text, f"{other}: {message!r}")
    combined = re.compile("|".join(f"(?:{pattern.pattern})" for _label, pattern in patterns), re.DOTALL)
    return literal, patterns, combined if patterns else None


class VisibleText(HTMLParser):
    """Text nodes and read attributes outside elements marked with another ``lang`` (or skipped)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, foreign or skipped)
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        hidden = tag in SKIPPED_ELEMENTS or bool(lang and lang != self.language and tag != "html")
        if not hidden and not self._hidden():
            self.texts.extend(values[name] for name in READ_ATTRIBUTES if values.get(name))
            if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
                self.texts.append(values["value"])
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.texts.append(data)


def foreign_strings(html: str, language: str) -> list[str]:
    """Interface strings of another language found on a page rendered in ``language``."""
    parser = VisibleText(language)
    parser.feed(html)
    literal, patterns, combined = foreign_messages(language)
    found = set()
    for text in {_normalised(text) for text in parser.texts}:
        if text in literal:
            found.add(f"{literal[text]} shown as {text!r}")
        elif combined is not None and combined.fullmatch(text):
            label = next(label for label, pattern in patterns if pattern.fullmatch(text))
            found.add(f"{label} shown as {text!r}")
    return sorted(found)


SKIPPED_PATHS = re.compile(
    r"/(admin|api|static|media)/|\.(csv|xlsx|json|xml|rss|atom|ics|pdf)$|/(feed|export|download)"
)
DIGITS = re.compile(r"\d+")


def page_type(path: str) -> str:
    """A path with its identifiers taken out: ``/ru/plan/items/12/`` and ``/ru/plan/items/13/`` are one type."""
    return DIGITS.sub("#", re.sub(r"^/(kk|ru|en)/", "/", path.split("?")[0]))


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, language: str, *, start: str = "", per_type: int = 2, limit: int = 400):
    """Follow the links of the site in one language from its home page: yields ``(path, html)`` for each page
    reached, at most ``per_type`` pages of each page type."""
    prefix = f"/{language}/"
    queue, seen, per = [prefix + start], set(), defaultdict(int)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        kind = page_type(path)
        if path in seen or per[kind] >= per_type:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        per[kind] += 1
        html = response.content.decode()
        yield path, html
        parser = Links()
        parser.feed(html)
        for href in parser.hrefs:
            href = href.split("#")[0]
            if href.startswith(prefix) and not SKIPPED_PATHS.search(href) and href not in seen:
                queue.append(href)
