"""Public pages rendered once per change (issue 13).

A public page's rendering for an anonymous visitor is kept in the ``pages`` cache under the *versions of the
tables its rendering read*, plus the scopes the view names, the language and the request's own path and query.
So a page changes when, and only when, something it shows changed: a new suggestion renews the suggestion list,
its document page and the home page's figures, not the news, the organisation registry or the plan.

What keys a page
    While a page is rendered for keeping, every SELECT its rendering sends is read for the Kelisim tables it
    names (``FROM``/``JOIN``; a search index table counts as the table it indexes). Those tables, with the app
    label of each (see "explicit bumps") and the scopes named in ``@public_page(...)``, are the page's
    *dependencies*, kept beside the page under its address. The next visitor reads the dependencies' current
    versions, and the page kept under exactly those versions answers; any other version is a miss and a fresh
    rendering. The versions are read *before* the rendering (all of them: a write committed while the page renders
    leaves it under the older version, so it is never found again). Which tables a page reads is decided by the
    data it read before (a list that is empty sends no query for its children): a change that makes it read a
    new table is a write to a table it read already, so the learned set is always enough; what a page computes
    from the clock alone is bounded by ``PAGECACHE_TIMEOUT``. Writes to tables no public page reads (sign-in times,
    the outbox, rate limits, idempotency keys, duplicate-detection vectors, history) therefore renew nothing.

How versions change
    Every database connection runs :func:`_watch_writes` (a Django execute wrapper installed by
    ``CoreConfig.ready``): an INSERT, UPDATE or DELETE on a table of a Kelisim app marks that *table*, and its
    version is bumped once, *after* the transaction commits (``transaction.on_commit``), nothing if it rolls back.
    So no service can forget to invalidate a page, bulk writes (``executemany``, ``.update()``) included.

Explicit bumps
    Changes that are not a write to a table the page reads (a user's display name shown beside comments, a rule
    that depends on a setting) call :func:`bump` with an app label ("comments"), also after commit. Every page
    that read a table of that app, or names the label in ``@public_page``, is renewed.

Where versions live
    With ``REDIS_URL`` in the shared cache (every web node and worker sees the same versions). Without it, as
    the modification times of small files under ``VAR_DIR/pagecache/`` (one per table or label, shared by all
    gunicorn workers and the background worker of one machine; a ``stat`` costs microseconds and needs no
    database connection). The rendered pages themselves may live in a per-process cache: the key contains the
    versions, so a stale page can never be found again once a version moved.

One rendering at a time (single flight)
    When a page's versions moved, the first visitor renders it; visitors who ask for it *while that rendering
    runs* get the previous rendering (``X-Kelisim-Page: stale``, ``max-age=0``) instead of rendering it too, for
    at most ``PAGECACHE_RENDER_SECONDS`` (2 s; after that they render it themselves). They asked concurrently
    with the change, so either answer is one they could have got; a visitor who asks after the new rendering is
    kept, or when no one else is rendering it, gets the new one. This keeps a page that is renewed by every
    write under a mixed load from being rendered by every worker at once. When nothing is kept yet (a first
    visit, an expired entry), those visitors wait for that rendering instead (``X-Kelisim-Page: waited``), for
    at most the same seconds, as a proxy's cache lock does. The claim lives in the pages cache (shared by the
    machine's processes through files, or by every node through Redis).

Who gets a kept page
    A GET/HEAD from a visitor without a session cookie, without flash messages and without any cookie the view
    names in ``bypass_cookies`` (e.g. the anonymous "I support this" cookie). On pages whose content is the same for
    everyone (``@public_page(..., members=True)``: a list that shows no action or state of the reader) signed-in
    visitors get the kept page too, with their own parts of the layout filled in (see below). Everyone else gets
    the page rendered for them: their header, roles and "you supported this" are never in a kept page.

Per-visitor parts of a kept page
    The tokens in its forms are the per-visitor parts an anonymous page carries (forms a visitor may send without
    signing in: the CSRF token, and the one-time submission token of a form that creates something). The kept
    rendering holds markers instead; each answer substitutes the visitor's own CSRF token and a fresh submission
    token (a byte replacement, no rendering). The layout's parts that depend on the reader (``<body>``'s htmx
    token, the header's account links, flash messages: ``{% visitor_part %}`` in base.html) are kept as an
    anonymous visitor sees them, between markers; a signed-in visitor's answer renders only those small templates
    for them and puts them in place. A kept page is always rendered as an anonymous visitor sees it, even when a
    signed-in visitor's request renders it (their user is set aside for that rendering), so it never holds a
    reader's name, links, messages or token. Such an answer sets the CSRF cookie, so it is
    ``private, no-cache``; a page without a form is ``public, max-age=N`` so that a proxy (nginx) may keep it
    for a few seconds. ETag (the rendering's hash, plus the visitor's CSRF cookie when a token was filled in)
    and Last-Modified (the latest change of the page's dependencies) answer conditional requests with 304.
    A form's one-time submission token is a marker too, replaced by a fresh token in every answer; a page
    holding one is never answered with 304 (the browser's copy may carry a token it has used).

Compressed answers
    A visitor whose browser accepts gzip gets a kept page compressed (``Content-Encoding: gzip``, ``Vary:
    Accept-Encoding``). A page without a form token is compressed once, when it is kept (the printable plan's
    330 KB travel as 19 KB and no answer compresses anything). A page with one is compressed once too, in
    pieces: the text between two tokens is raw deflate data ending on a full flush (nothing refers back across
    it), and an answer joins the pieces with its own tokens, each in a stored (uncompressed) block, and the
    gzip checksum of the whole, combined from the pieces' own (0.03 ms for the 95 KB article with 2,000
    comments, where compressing it again took 0.25 ms). A kept page so compressed is kept without its plain
    rendering, which is decompressed only for a visitor who refuses gzip or is signed in: a hit reads and
    unpickles only the compressed bytes. This is safe from BREACH, which reads a secret that stays the same
    from the sizes of many compressed answers reflecting an attacker's guesses: a token is never compressed
    with anything, it is new in every answer (the CSRF token masked anew), and an anonymous rendering holds
    nothing else of the visitor. Answers for signed-in visitors (their name, their links) are never compressed.

Time-dependent content (a window that closes at noon) is bounded by ``PAGECACHE_TIMEOUT`` (default 60 s).
"""

from __future__ import annotations

import contextvars
import functools
import gzip
import hashlib
import logging
import os
import re
import struct
import time
import uuid
import zlib
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CSRF_MARKER = "kelisimcsrfmarkerforkeptpages"
_CSRF_MARKER_BYTES = CSRF_MARKER.encode()
# A form's one-time submission token (core.submission) is written as this marker in a kept page, and every answer
# puts a fresh token in each place: a kept token would make the next visitor's form a repeat of the first one's.
SUBMISSION_MARKER = "kelisimsubmissionmarkerforkeptpages"
_SUBMISSION_MARKER_BYTES = SUBMISSION_MARKER.encode()
VISITOR_PARTS = re.compile(rb"<!--visitor:([\w./-]+)(?:\?([\w.%=&+~-]*))?-->(.*?)<!--/visitor-->", re.S)
BODY_TAG = "core/includes/body_tag.html"
ANONYMOUS_BODY = b"<body>"
RENDERING_ATTR = "_kelisim_pagecache_rendering"
# Below this a compressed answer saves less than a packet.
COMPRESS_FROM_BYTES = 1024
_TOKEN_MARKERS = re.compile(b"(" + re.escape(_CSRF_MARKER_BYTES) + b"|" + re.escape(_SUBMISSION_MARKER_BYTES) + b")")
# gzip's member header: deflate, no name, no time, no extra flags, OS unknown (RFC 1952).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
VERSION_PREFIX = "kelisim:pagecache:version:"
# In the kept pages' keys: a release that keeps pages in another shape does not read the previous release's (both
# run side by side during a rolling upgrade, on one shared cache).
ENTRY_FORMAT = 2
WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)
READ_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.I)
# Tables whose writes do not change what a public page shows (sign-in times, the outbox, heartbeats, …).
IGNORED_WRITES = re.compile(r'^\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*\S+\s+WHERE', re.I)


# The explicit-bump scopes (app labels) of a page that gathers from every part of the site (the home page, a
# comment thread on any object). Writes need not be named: a page depends on every table it reads.
EVERYTHING = (
    "core",
    "accounts",
    "organisations",
    "comments",
    "consultations",
    "meetings",
    "plans",
    "funding",
    "activities",
    "publications",
)
PLAN_SCOPES = ("core", "organisations", "consultations", "meetings", "plans", "funding", "activities")


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Tables, scopes and versions ------------------------------------------------------------------------


@functools.cache
def _table_scopes() -> dict[str, str]:
    """Table name -> app label, for every model of a Kelisim app (history tables included)."""
    from django.apps import apps

    scopes: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("kelisim."):
            continue
        for model in config.get_models(include_auto_created=True):
            scopes[model._meta.db_table] = config.label
    for table in _setting("PAGECACHE_IGNORED_TABLES", ()):
        scopes.pop(table, None)
    return scopes


@functools.cache
def _read_table(name: str) -> str | None:
    """The Kelisim table a name in a SELECT stands for: itself, or the table a search index (``<table>_…``) is
    kept for; None for Django's and the libraries' own tables."""
    tables = _table_scopes()
    if name in tables:
        return name
    owners = [table for table in tables if name.startswith(table + "_")]
    return max(owners, key=len) if owners else None


def _scope_of(sql: str) -> str | None:
    """The table an INSERT/UPDATE/DELETE changes, if a public page may show it."""
    match = WRITE_SQL.match(sql)
    if match is None or IGNORED_WRITES.match(sql):
        return None
    table = match.group(1)
    return table if table in _table_scopes() else None


def dependencies(tables, scopes=()) -> tuple[str, ...]:
    """What a rendering that read ``tables`` is kept under: the tables, their apps' labels (explicit bumps) and the
    scopes the view names."""
    labels = _table_scopes()
    return tuple(sorted({*tables, *(labels[table] for table in tables if table in labels), *scopes}))


def version_stamp(*models) -> str:
    """A short stamp that moves whenever a row of ``models`` changes (or their apps are bumped): a vary-on value for
    a fragment kept with Django's ``{% cache %}`` tag on a page rendered per request (a staff queue's filter form
    and its options), so the fragment is rendered again exactly when what it shows changed. With kept pages switched
    off (``PAGECACHE_ENABLED``) every stamp is new and :func:`fragment_seconds` is 0: each rendering is a first one,
    as the query-count guards measure."""
    if not _setting("PAGECACHE_ENABLED", True):
        return uuid.uuid4().hex
    return _stamp(versions(dependencies([model._meta.db_table for model in models])))


def fragment_seconds(seconds: int = 3600) -> int:
    """How long such a fragment is kept (not at all with kept pages switched off)."""
    return seconds if _setting("PAGECACHE_ENABLED", True) else 0


def _every_scope() -> tuple[str, ...]:
    tables = _table_scopes()
    return (*tables, *set(tables.values()))


def _files_dir() -> Path:
    return Path(_setting("PAGECACHE_VERSIONS_DIR", settings.VAR_DIR / "pagecache"))


def _uses_cache_for_versions() -> bool:
    return _setting("PAGECACHE_VERSIONS", "files") == "cache"


def versions(scopes) -> dict[str, int]:
    """The current version of each scope (a table or an app label): a nanosecond timestamp of its last change,
    0 if never changed."""
    if _uses_cache_for_versions():
        kept = caches["default"].get_many([VERSION_PREFIX + scope for scope in scopes])
        return {scope: int(kept.get(VERSION_PREFIX + scope, 0)) for scope in scopes}
    # Strings, not Path objects: a kept page asks for about twenty versions per answer.
    prefix = os.path.join(_files_dir(), "")
    found = {}
    for scope in scopes:
        try:
            found[scope] = os.stat(prefix + scope).st_mtime_ns
        except FileNotFoundError:
            found[scope] = 0
    return found


def _bump_now(scopes) -> None:
    now = time.time_ns()
    try:
        if _uses_cache_for_versions():
            cache = caches["default"]
            current = versions(scopes)
            cache.set_many({VERSION_PREFIX + s: max(now, current[s] + 1) for s in scopes}, timeout=None)
            return
        directory = _files_dir()
        directory.mkdir(parents=True, exist_ok=True)
        for scope, current in versions(scopes).items():
            path = directory / scope
            path.touch(exist_ok=True)
            stamp = max(now, current + 1)
            os.utime(path, ns=(stamp, stamp))
    except Exception:  # a cache that is down must not fail the write that already committed
        logger.exception("Could not bump page versions %s", sorted(scopes))


def _in_transaction(connection) -> bool:
    """In a transaction that will commit (the test suite's wrapping transaction, which never does, excepted).

    The test suite sets ``PAGECACHE_BUMP_AT_WRITE``: its transactions never commit, so a service's
    ``transaction.atomic`` inside a test would otherwise never bump (tests of the commit rule switch it off)."""
    return connection.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def bump(*scopes: str, using: str | None = None) -> None:
    """Mark what ``scopes`` show as changed, after the current transaction commits (at once outside one).

    Writes to a Kelisim app's own tables bump those tables by themselves; call this with an app label for a
    change the pages showing that app's data show otherwise (e.g. ``bump("comments")`` when a user's display name
    changes): every page that read one of the app's tables, or names the label, is renewed."""
    wanted = frozenset(scopes)
    if _in_transaction(transaction.get_connection(using)) and not _setting("PAGECACHE_BUMP_AT_WRITE", False):
        transaction.on_commit(lambda: _bump_now(wanted), using=using)
    else:
        _bump_now(wanted)


# The tables read by the page being rendered for keeping in this thread (None when no page is).
_reading: contextvars.ContextVar[set | None] = contextvars.ContextVar("kelisim_pagecache_reading", default=None)
# Addresses of kept values whose last computation in this process read no table (see kept_value).
_made_from_nothing: set[str] = set()
_MADE_FROM_NOTHING_LIMIT = 1000
# Whether the rendering now running is a page's anonymous rendering to keep (a kept value computed inside a page
# rendered per request reads tables too, but for its own reader).
_keeping_page: contextvars.ContextVar[bool] = contextvars.ContextVar("kelisim_pagecache_keeping", default=False)


def _note_reads(sql: str, read: set) -> None:
    for name in READ_TABLES.findall(sql):
        table = _read_table(name)
        if table is not None:
            read.add(table)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):
        return result
    read = _reading.get()
    if read is not None:
        _note_reads(sql, read)
    scope = _scope_of(sql)
    if scope is None:
        return result
    connection = context["connection"]
    if not _in_transaction(connection) or _setting("PAGECACHE_BUMP_AT_WRITE", False):
        _bump_now({scope})
        return result
    pending = getattr(connection, "_kelisim_pending_scopes", None)
    # Django replaces its list of commit callbacks when a transaction (or savepoint) commits or rolls back:
    # a different list means our callback was run or dropped, so start a new pending set.
    if pending is None or getattr(connection, "_kelisim_pending_list", None) is not connection.run_on_commit:
        pending = set()
        connection._kelisim_pending_scopes = pending

        def flush(pending=pending):
            scopes = set(pending)
            pending.clear()
            if scopes:
                _bump_now(scopes)

        connection.on_commit(flush)
        connection._kelisim_pending_list = connection.run_on_commit
    pending.add(scope)
    return result


def watch(connection, **kwargs) -> None:
    """``connection_created`` receiver: watch this connection's writes (once per connection wrapper)."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def cached_count(queryset, *scopes: str, timeout: int = 3600) -> int:
    """``queryset.count()``, counted once per change of the tables it reads (and of ``scopes``), for pagers of long
    lists; counted each time when kept pages are switched off (``PAGECACHE_ENABLED``), as the query-count guards
    measure. A page rendered for keeping depends on those tables even when the count came from the cache."""
    from django.core.cache import cache

    if not _setting("PAGECACHE_ENABLED", True):
        return queryset.count()

    sql, params = queryset.query.sql_with_params()
    tables: set = set()
    _note_reads(sql, tables)
    read = _reading.get()
    if read is not None:
        read.update(tables)
    scope_versions = versions(dependencies(tables, scopes))
    digest = hashlib.sha256(repr((queryset.db, sql, params, sorted(scope_versions.items()))).encode()).hexdigest()
    key = f"kelisim:count:{digest[:40]}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, timeout)
    return count


def kept_value(name: str, key, compute, *, scopes=(), timeout: int | None = None):
    """``compute()``, computed once per change of the tables its queries read (and of the app labels in
    ``scopes``), per language: for a part of a page rendered per request that is the same for every reader asking
    with the same ``key`` (a staff queue's rows for one filter's values and page). Its tables are learned
    from the computation, as a kept page's are, and the versions are read before it, so a write committed meanwhile
    is never missed. The value must be picklable and hold nothing of one reader (no token, no "you"). What it shows
    from the clock alone ("days waiting") is bounded by ``PAGECACHE_TIMEOUT``. A value whose computation read no table
    is not kept. Computed every time with kept pages switched off (``PAGECACHE_ENABLED``), as the query-count guards
    measure."""
    if not _setting("PAGECACHE_ENABLED", True):
        return compute()
    cache = _pages_cache()
    digest = hashlib.sha256(repr((name, key, get_language())).encode()).hexdigest()[:40]
    address = f"kelisim:kept:{digest}"
    outer = _reading.get()
    latest = cache.get(address)
    if latest is not None and _stamp(versions(latest["depends_on"])) == latest["stamp"]:
        if outer is not None:
            outer.update(table for table in latest["depends_on"] if table in _table_scopes())
        return latest["value"]
    # Reading every scope's version first is what makes keeping safe, and it costs more than a value made from
    # nothing (the rows of an empty queue): where the last computation under this address read no table, it is
    # computed without them, and kept again only once a computation that reads tables started after reading them.
    made_from_nothing = address in _made_from_nothing
    before = {} if made_from_nothing else versions(_every_scope())
    read: set = set()
    reading = _reading.set(read)
    try:
        value = compute()
    finally:
        _reading.reset(reading)
    if outer is not None:
        outer.update(read)
    if not read and not scopes:
        # It read nothing, so it was made from what it was given (a list of zero rows by a count taken outside
        # it): nothing would ever renew it, and remaking it costs nothing.
        if len(_made_from_nothing) >= _MADE_FROM_NOTHING_LIMIT:
            _made_from_nothing.clear()
        _made_from_nothing.add(address)
        return value
    if made_from_nothing:
        _made_from_nothing.discard(address)
        return value
    depends_on = dependencies(read, scopes)
    entry = {
        "value": value,
        "depends_on": depends_on,
        "stamp": _stamp({scope: before.get(scope, 0) for scope in depends_on}),
    }
    cache.set(address, entry, timeout if timeout is not None else _setting("PAGECACHE_TIMEOUT", 60))
    return value


# --- Serving kept pages ---------------------------------------------------------------------------------


def is_cacheable_request(request, bypass_cookies=()) -> bool:
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return may_fill_in_visitor_parts(request, bypass_cookies)


def may_fill_in_visitor_parts(request, bypass_cookies=()) -> bool:
    """A request a kept page can answer once the reader's own parts of the layout are filled in: a GET/HEAD without a
    cookie that makes the page itself personal and without credentials (a signed-in API client, whose answer is
    computed for it)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if any(name in cookies for name in (*_setting("PAGECACHE_PERSONAL_COOKIES", ()), *bypass_cookies)):
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _pages_cache():
    return caches["pages"] if "pages" in settings.CACHES else caches["default"]


def _base_key(request, vary) -> str:
    """The page's address as this visitor asks for it (path, language, query, the META keys it varies on)."""
    parts = [request.path, get_language() or "", "&".join(sorted(request.GET.urlencode().split("&")))]
    parts += [f"{name}={request.META.get(name, '')}" for name in vary]
    if request.headers.get("HX-Request"):
        parts.append("htmx")
    return f"kelisim:page{ENTRY_FORMAT}:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40]


def _stamp(scope_versions: dict[str, int]) -> str:
    stamp = "\n".join(f"{scope}={version}" for scope, version in sorted(scope_versions.items()))
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


def is_rendering_for_keeping() -> bool:
    """Whether the page being rendered now is the anonymous rendering to keep (so has no visitor's own values)."""
    return _keeping_page.get()


def _new_submission_token() -> bytes:
    from kelisim.core.submission import new_token

    return new_token().encode()


def _answer_tokens(request) -> dict:
    """What each token marker becomes in one answer: the visitor's CSRF token (asked for once, and only if the page
    has a form that needs it) and a new one-time submission token at each marker."""
    from django.middleware.csrf import get_token

    csrf_token = functools.cache(lambda: get_token(request).encode())
    return {_CSRF_MARKER_BYTES: csrf_token, _SUBMISSION_MARKER_BYTES: _new_submission_token}


def _with_tokens(body: bytes, tokens: dict) -> bytes:
    return _TOKEN_MARKERS.sub(lambda marker: tokens[marker.group(0)](), body)


def accepts_gzip(request) -> bool:
    """Whether the request's Accept-Encoding admits gzip (``gzip;q=0`` refuses it; ``*`` admits it unless gzip is
    named)."""
    offered = {}
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, parameters = part.strip().partition(";")
        quality = 1.0
        parameter, _, value = parameters.strip().partition("=")
        if parameter.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if name:
            offered[name.strip().lower()] = quality
    quality = offered.get("gzip", offered.get("x-gzip", offered.get("*", 0.0)))
    return quality > 0


def compressed_pieces(body: bytes) -> dict | None:
    """For a kept rendering with token markers: the text between the markers compressed once, so that an answer
    only joins those pieces with its own tokens instead of compressing the page again (or None).

    ``deflate[i]`` is raw deflate data of text ``i`` ending on a byte boundary after a full flush (nothing after it
    refers back across the token that goes in between), the last one ending the stream; ``markers[i]`` is the
    marker that follows text ``i``; ``crc``, ``sizes`` and ``shifts`` let an answer compute the checksum of the
    whole from the texts' own, without the texts."""
    parts = _TOKEN_MARKERS.split(body)
    if len(parts) == 1 or len(body) < COMPRESS_FROM_BYTES:
        return None
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    texts, markers = parts[0::2], parts[1::2]
    deflate = []
    for index, text in enumerate(texts):
        ending = zlib.Z_FULL_FLUSH if index < len(markers) else zlib.Z_FINISH
        deflate.append(compressor.compress(text) + compressor.flush(ending))
    return {
        "deflate": deflate,
        "markers": markers,
        "crc": [zlib.crc32(text) for text in texts],
        "sizes": [len(text) for text in texts],
        "shifts": [_crc_shift(len(text)) for text in texts],
    }


def _page_from_pieces(compressed: dict) -> bytes:
    """The kept rendering (markers in place) back from its compressed pieces."""
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    texts = [decompressor.decompress(piece) for piece in compressed["deflate"]]
    return b"".join(text + marker for text, marker in zip(texts, [*compressed["markers"], b""], strict=True))


# CRC-32 arithmetic (polynomials over GF(2) in zlib's reflected bit order): the checksum of two strings joined is
# the first's multiplied by x^(8 * the second's length), plus the second's. zlib has crc32_combine for this; Python
# does not expose it.
_CRC_POLYNOMIAL = 0xEDB88320
_CRC_ONE = 1 << 31


def _crc_multiply(a: int, b: int) -> int:
    product, bit = 0, _CRC_ONE
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _CRC_POLYNOMIAL if b & 1 else b >> 1
    return product


@functools.cache
def _x_to_the_power_of_two(exponent: int) -> int:
    """x^(2^exponent) modulo the polynomial."""
    if exponent == 0:
        return _CRC_ONE >> 1  # x
    root = _x_to_the_power_of_two(exponent - 1)
    return _crc_multiply(root, root)


@functools.lru_cache(maxsize=256)
def _crc_shift(length: int) -> int:
    """x^(8 * length) modulo the polynomial: what a checksum is multiplied by when ``length`` bytes follow."""
    shift, exponent, bits = _CRC_ONE, 3, length
    while bits:
        if bits & 1:
            shift = _crc_multiply(_x_to_the_power_of_two(exponent), shift)
        bits >>= 1
        exponent += 1
    return shift


def crc32_combine(first: int, second: int, shift: int) -> int:
    """The CRC-32 of two strings joined, from each one's and ``_crc_shift(len(second))``."""
    return _crc_multiply(shift, first) ^ second


def _gzip_with_tokens(compressed: dict, tokens: dict) -> bytes:
    """A gzip member of the kept rendering with each marker replaced by its token (``tokens[marker]()``), built from
    the pieces compressed when the page was kept. Each token travels in a stored (uncompressed) deflate block: its
    bytes are never compressed with the page's, so the answer's length tells nothing of them."""
    markers = compressed["markers"]
    out = [_GZIP_HEADER]
    checksum = size = 0
    for index, piece in enumerate(compressed["deflate"]):
        checksum = crc32_combine(checksum, compressed["crc"][index], compressed["shifts"][index])
        size += compressed["sizes"][index]
        out.append(piece)
        if index < len(markers):
            token = tokens[markers[index]]()
            checksum = crc32_combine(checksum, zlib.crc32(token), _crc_shift(len(token)))
            size += len(token)
            out.append(b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token)
    out.append(struct.pack("<II", checksum, size & 0xFFFFFFFF))
    return b"".join(out)


def _kept_forms(body: bytes) -> dict:
    """How a rendering is kept, and what an answer needs to know of it without reading it. A rendering large enough
    is kept compressed (whole, or in pieces between its tokens) and then without its plain copy, which only visitors
    who refuse gzip and signed-in visitors need (see :func:`page_body`): reading a kept page would otherwise
    decompress and unpickle the plain copy too."""
    one_time = _SUBMISSION_MARKER_BYTES in body
    personal = one_time or _CSRF_MARKER_BYTES in body
    large = len(body) >= COMPRESS_FROM_BYTES
    return {
        "body": None if large else body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0) if large and not personal else None,
        "gzip_pieces": compressed_pieces(body) if large and personal else None,
        "one_time": one_time,
        "personal": personal,
        "fits_visitor_parts": _fits_visitor_parts(body),
    }


def page_body(entry: dict) -> bytes:
    """A kept entry's rendering, as rendered (markers in place)."""
    if entry["body"] is not None:
        return entry["body"]
    if entry["gzip"] is not None:
        return gzip.decompress(entry["gzip"])
    return _page_from_pieces(entry["gzip_pieces"])


def _render_for_keeping(view, request, args, kwargs):
    """The view's answer as an anonymous visitor gets it, and the tables its rendering read (None if the answer may
    not be kept). A signed-in visitor's user is set aside while it renders."""
    from django.contrib.auth.models import AnonymousUser

    setattr(request, RENDERING_ATTR, True)
    csrf_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    reader = request.__dict__.get("user")
    if reader is not None:
        request.user = AnonymousUser()
    read: set = set()
    reading, keeping = _reading.set(read), _keeping_page.set(True)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        _reading.reset(reading)
        _keeping_page.reset(keeping)
        delattr(request, RENDERING_ATTR)
        if reader is not None:
            request.user = reader
    used_real_token = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if csrf_before and not used_real_token:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = csrf_before
    keepable = (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not used_real_token
        and not response.has_header("Cache-Control")
    )
    return response, read if keepable else None


def _answer(request, entry: dict, last_modified_ns: int, public_seconds: int) -> HttpResponse:
    etag = entry["etag"]
    one_time, personal = entry["one_time"], entry["personal"]
    if one_time:
        # Never "not modified": the copy a browser holds may carry a token it has used already.
        etag, last_modified_ns = None, 0
    elif personal:
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        etag = etag[:-1] + "-" + hashlib.sha256(cookie.encode()).hexdigest()[:12] + '"' if cookie else None
    last_modified = formatdate(max(last_modified_ns, 0) / 1e9, usegmt=True) if last_modified_ns else None
    if etag and _not_modified(request, etag, last_modified_ns):
        response = HttpResponseNotModified()
    else:
        if not accepts_gzip(request):
            compressed = None
        elif entry["gzip_pieces"] is not None:
            compressed = _gzip_with_tokens(entry["gzip_pieces"], _answer_tokens(request))
        else:
            compressed = entry["gzip"]
        if compressed is not None:
            response = HttpResponse(compressed, content_type=entry["content_type"])
            response["Content-Encoding"] = "gzip"
        else:
            body = page_body(entry)
            if personal:
                body = _with_tokens(body, _answer_tokens(request))
            response = HttpResponse(body, content_type=entry["content_type"])
        for header, value in entry["headers"]:
            response[header] = value
    if etag:
        response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = last_modified
    if personal:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={public_seconds}"
    response["X-Kelisim-Page"] = entry["state"]
    # The same address answers a signed-in visitor differently, and gzip or not: a proxy keys on both.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


# Template name -> the function giving its context for one reader (request, **the part's arguments): the only
# templates a kept page's markers may name.
_visitor_parts: dict[str, object] = {
    "core/includes/account_links.html": None,
    "core/includes/messages.html": None,
    BODY_TAG: None,
}


# Template name -> the function naming the group of readers who all see that part alike (see visitor_part).
_shared_by: dict[str, object] = {}
ANONYMOUS_VARIANT = ""


def visitor_part(template_name: str, shared_by=None):
    """Register a per-reader part of a page the same for everyone (``{% visitor_part template_name key=value %}``)
    and the function that gives its context for one reader: ``function(request, **arguments) -> dict``. The
    arguments are the tag's (strings; they travel in the kept page's marker), e.g. the reference of the suggestion
    whose "you support this" the part shows.

    ``shared_by(request, **arguments) -> str | None``, if given, names the group of readers who all see the part
    alike: ``ANONYMOUS_VARIANT`` ("") for a reader who sees it as an anonymous visitor does (the kept rendering is
    kept for them: a comment thread for a reader who neither wrote in it nor moderates it), another name for a
    group whose part is rendered once per version of the page and kept beside it (moderators), None for a reader
    whose part is theirs alone (the comments' author, with links to edit them)."""

    def register(function):
        _visitor_parts[template_name] = function
        if shared_by is not None:
            _shared_by[template_name] = shared_by
        return function

    return register


def _shared_part(entry: dict, name: str, query: str, variant: str, render) -> bytes:
    """A group's rendering of a part, kept beside the page under its ETag. A rendering holding a form is never
    kept: its tokens belong to the reader it was rendered for."""
    cache = _pages_cache()
    key = "kelisim:part:" + hashlib.sha256(f"{entry['etag']}\n{name}?{query}\n{variant}".encode()).hexdigest()[:40]
    kept = cache.get(key)
    if kept is None:
        kept = render()
        if b"csrfmiddlewaretoken" not in kept and b'name="submission_token"' not in kept:
            cache.set(key, kept, _setting("PAGECACHE_TIMEOUT", 60))
    return kept


def visitor_part_context(template_name: str, request, arguments: dict) -> dict:
    if template_name not in _visitor_parts:
        raise ValueError(f"{template_name} is not a registered visitor part (pagecache.visitor_part).")
    function = _visitor_parts[template_name]
    return function(request, **arguments) if function is not None else {}


def visitor_part_marker(template_name: str, arguments: dict) -> str:
    query = urlencode(sorted((name, str(value)) for name, value in arguments.items()))
    return f"{template_name}?{query}" if query else template_name


def _fits_visitor_parts(body: bytes) -> bool:
    """The kept rendering has the layout's per-visitor parts marked (it extends base.html), so a signed-in
    visitor's own can be put in."""
    if body.count(ANONYMOUS_BODY) != 1:
        return False
    names = {match.group(1).decode() for match in VISITOR_PARTS.finditer(body)}
    return bool(names) and names <= _visitor_parts.keys()


def _answer_with_visitor_parts(request, entry: dict) -> HttpResponse:
    """A kept page for a signed-in visitor: their own ``<body>`` tag, header links and messages rendered (small
    templates, the same context processors as any page) in place of the anonymous ones, their CSRF token in the
    page's forms. Never public, never 304: the answer is theirs."""
    from django.template import RequestContext, engines

    engine = engines["django"].engine
    context = RequestContext(request)

    def part(name: str, query: str = "") -> bytes:
        arguments = dict(parse_qsl(query))
        with context.push(**{**arguments, **visitor_part_context(name, request, arguments)}):
            return engine.get_template(name).render(context).encode()

    def fill_in(match) -> bytes:
        name, query = match.group(1).decode(), (match.group(2) or b"").decode()
        shared_by = _shared_by.get(name)
        variant = shared_by(request, **dict(parse_qsl(query))) if shared_by is not None else None
        if variant == ANONYMOUS_VARIANT:
            return match.group(3)
        if variant is not None:
            return _shared_part(entry, name, query, variant, lambda: part(name, query))
        return part(name, query)

    # Bound once: the context processors run once for all the parts, not once per part.
    with context.bind_template(engine.get_template(BODY_TAG)):
        body = VISITOR_PARTS.sub(fill_in, page_body(entry))
        body = body.replace(ANONYMOUS_BODY, part(BODY_TAG), 1)
    body = _with_tokens(body, _answer_tokens(request))
    response = HttpResponse(body, content_type=entry["content_type"])
    for header, value in entry["headers"]:
        response[header] = value
    response["Cache-Control"] = "private, no-cache"
    response["X-Kelisim-Page"] = entry["state"]
    patch_vary_headers(response, ("Cookie",))
    return response


def _not_modified(request, etag: str, last_modified_ns: int) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag.removeprefix("W/") in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return bool(since and last_modified_ns and last_modified_ns // 1_000_000_000 <= since)


def _only_parameters(request, names) -> None:
    """Let the request carry only the query parameters ``names`` (in their order): the page is rendered, and kept,
    as if nothing else had been asked, so a campaign tag or a cache buster neither multiplies its renderings nor
    shows in one of them."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name in names:
        if values := request.GET.getlist(name):
            query.setlist(name, values)
    query._mutable = False
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def _rendered_meanwhile(cache, base: str, claim: str, seconds: float) -> dict | None:
    """Nothing is kept yet (a first visit, or the entry expired) and another visitor is rendering the page: wait for
    that rendering instead of rendering it too, as a proxy's cache lock does. Without this every visitor of a cold
    page rendered it at once: sixteen renderings of the printable plan cost seconds of CPU and kept 40 MB in the
    worker that rendered five of them. After ``seconds``, or when the claim is given back without a rendering that
    is still current, the visitor renders it themselves."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.02)
        entry = cache.get(base)
        if entry is not None and _stamp(versions(entry["depends_on"])) == entry["stamp"]:
            entry["state"] = "waited"
            return entry
        if cache.get(claim) is None:  # given back without a rendering that is still current
            return None
    return None


def public_page(
    *scopes: str, bypass_cookies=(), vary=(), timeout: int | None = None, parameters=None, members: bool = False
):
    """Keep the view's anonymous rendering under the versions of what it read (see the module's docstring).

    ``scopes``: app labels whose explicit bumps (:func:`bump`) renew the page besides its tables' writes.
    ``bypass_cookies``: cookies that make the page personal (a visitor who has one gets it rendered for them).
    ``vary``: request META keys that change the page besides path, query and language.
    ``parameters``: the query parameters the page reads, if it names them; any other is dropped before the page
    is looked up or rendered.
    ``members``: the page's content is the same for every reader, signed in or not (only the layout's header and
    messages differ): signed-in visitors get the kept page with their own parts filled in."""
    if not scopes:
        raise ValueError("A kept page needs the scopes whose changes it shows.")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _setting("PAGECACHE_ENABLED", True):
                return view(request, *args, **kwargs)
            member = not is_cacheable_request(request, bypass_cookies)
            if member and not (members and may_fill_in_visitor_parts(request, bypass_cookies)):
                return view(request, *args, **kwargs)

            def answer(entry, last_modified_ns, seconds):
                if not member:
                    return _answer(request, entry, last_modified_ns, seconds)
                if entry["fits_visitor_parts"]:
                    return _answer_with_visitor_parts(request, entry)
                return view(request, *args, **kwargs)

            if parameters is not None:
                _only_parameters(request, sorted(parameters))
            cache = _pages_cache()
            base = _base_key(request, vary)
            public_seconds = _setting("PAGECACHE_PROXY_SECONDS", 10)
            # One entry per address: the latest rendering, the tables it read and their versions then.
            latest = cache.get(base)
            if latest is not None:
                current = versions(latest["depends_on"])
                if _stamp(current) == latest["stamp"]:
                    latest["state"] = "hit"
                    return answer(latest, max(current.values(), default=0), public_seconds)
            claim = f"{base}:rendering"
            render_seconds = _setting("PAGECACHE_RENDER_SECONDS", 2)
            claimed = cache.add(claim, 1, render_seconds)
            if not claimed and latest is not None:
                # Someone renders the new version right now: the previous one, for at most those seconds.
                latest["state"] = "stale"
                return answer(latest, latest["last_modified"], 0)
            if not claimed and (rendered := _rendered_meanwhile(cache, base, claim, render_seconds)) is not None:
                return answer(rendered, rendered["last_modified"], public_seconds)
            try:
                before = versions(_every_scope())  # before the first read: a write during the rendering misses
                response, read = _render_for_keeping(view, request, args, kwargs)
                if read is None:  # not kept; a signed-in visitor's answer was rendered as anonymous: theirs
                    return view(request, *args, **kwargs) if member else response
                depends_on = dependencies(read, scopes)
                kept_versions = {scope: before.get(scope, 0) for scope in depends_on}
                body = response.content
                entry = {
                    **_kept_forms(body),
                    "content_type": response["Content-Type"],
                    "etag": 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"',
                    "headers": [(h, v) for h, v in response.items() if h.lower() in ("content-language", "link")],
                    "state": "miss",
                    "depends_on": depends_on,
                    "stamp": _stamp(kept_versions),
                    "last_modified": max(kept_versions.values(), default=0),
                }
                cache.set(base, entry, timeout if timeout is not None else _setting("PAGECACHE_TIMEOUT", 60))
            finally:
                if claimed:
                    cache.delete(claim)
            return answer(entry, entry["last_modified"], public_seconds)

        wrapper.pagecache_scopes = scopes
        return wrapper

    return decorate


def context(request) -> dict:
    """Template context processor: while a page is rendered for keeping, ``{% csrf_token %}`` and
    ``{{ csrf_token }}`` write the marker that each answer replaces with the visitor's own token, the layout marks
    its per-visitor parts, and no flash message is shown (they belong to whoever's request rendered it)."""
    if getattr(request, RENDERING_ATTR, False):
        return {"csrf_token": CSRF_MARKER, "kept_page": True, "messages": ()}
    return {}


class PublicCacheSafetyMiddleware:
    """Last word on Cache-Control (outermost): an answer that sets a cookie, or that was rendered for a visitor
    with a session, is never ``public``, whatever a view or decorator said."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if "public" in cache_control and (
            response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES or response.has_header("Set-Cookie")
        ):
            response["Cache-Control"] = "private, no-cache"
        return response
