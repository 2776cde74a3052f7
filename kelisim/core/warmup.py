"""Readying a new web process before it takes its first request (gunicorn's ``post_worker_init``).

A new process imports the URLconf (every app's views and the API's schemas), loads the translation catalogues
and compiles templates on its first requests: a second and more for the first visitor, tens of milliseconds for the
first visit of each kind of page. Workers are replaced now and then (``max_requests``), so without this a few
visitors of a busy site would wait for it every minute. Done here, the other processes serve meanwhile.

Then what the process holds for its whole life (modules, the URLconf, catalogues, compiled templates: about 180,000
objects) is moved out of the garbage collector's sight (``gc.freeze``). Each full collection walked all of them:
110-130 ms during which every thread of the worker stood still, which visitors met as p99 outliers.
"""

import gc
import time

from django.conf import settings

# Extended by every page; the rest compile on their first use (they are small).
TEMPLATES = ("base.html",)


def warm_up() -> float:
    """Import, load and compile what every page needs; returns the seconds it took."""
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URLconf: every app's views, the API and its schemas
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - the reverse table of each language's prefix
            translation.gettext(code)  # any message loads the language's catalogues (a variable: not for translators)
    for name in TEMPLATES:
        get_template(name)
    gc.collect()  # what is garbage now must not be frozen (it would never be freed)
    gc.freeze()
    return time.perf_counter() - started
