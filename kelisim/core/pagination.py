"""Paginators for long lists: told their total instead of counting, or reading a page's keys before its rows."""

import functools

from django.core.paginator import Paginator


class KnownCountPaginator(Paginator):
    """A paginator told its total instead of counting (a counter column, or ``pagecache.cached_count``)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @functools.cached_property
    def count(self) -> int:
        return self._known_count


class KeysFirstPaginator(Paginator):
    """Finds a page's keys in the table alone, and reads those rows with their relations, in one query.

    With the joins of ``select_related`` in the same query, SQLite may start from a small joined table and then
    sort every matching row with all its joined columns to find one page (the triage queue did so for 140,000
    waiting suggestions: 214 ms). The subquery reads the table alone, through its own indexes (1–5 ms); the
    outer query reads the page's rows by key.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(list(self.object_list.filter(pk__in=keys)), number, self)
