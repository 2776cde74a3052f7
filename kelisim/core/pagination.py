"""Paginators for long lists: told their total instead of counting, or reading a page's keys before its rows."""

import functools

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import BooleanField, F, Func


class KnownCountPaginator(Paginator):
    """A paginator told its total instead of counting (a counter column, or ``pagecache.cached_count``); it counts
    as Django's does when ``count`` is None."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @functools.cached_property
    def count(self) -> int:
        return self._known_count if self._known_count is not None else super().count

    def number_of(self, number) -> int:
        """The page ``get_page`` shows for ``number``: the first for nonsense, the last for one past the end."""
        try:
            return self.validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            return self.num_pages

    def pager(self, number) -> Page:
        """Page ``number`` for the pager alone (its rows are read, or kept, elsewhere): no query."""
        return self._get_page([], self.number_of(number), self)


class KeysFirstPaginator(KnownCountPaginator):
    """Finds a page's keys in the table alone, and reads those rows with their relations, in one query.

    With the joins of ``select_related`` in the same query, SQLite may start from a small joined table and then
    sort every matching row with all its joined columns to find one page (the triage queue did so for 140,000
    waiting suggestions: 214 ms). The subquery reads the table alone, through its own indexes (1–5 ms); the
    outer query reads the page's rows by key. ``count``, when given, is the total (``pagecache.cached_count``).
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(list(_rows_with_keys(self.object_list, keys)), number, self)


def _rows_with_keys(queryset, keys):
    """``queryset``'s rows whose keys are in ``keys`` (a subquery of the same queryset), with its relations and
    order, but without its own conditions again: the keys satisfy them already, and with them SQLite walked the
    index of every waiting suggestion to check each against the fifty keys (37 ms at 140,000) instead of reading
    the fifty rows by key (1 ms). For querysets whose conditions only choose rows: a condition that an annotation
    or ``extra()`` relies on to join another table would be lost with them."""
    from django.db.models.sql.where import WhereNode

    rows = queryset.all()
    rows.query.where = WhereNode()
    if connections[queryset.db].vendor == "postgresql":
        # PostgreSQL planned ``id IN (subquery)`` as a hash semi-join over the whole table joined to its relations
        # (375 ms at 200,000 suggestions); ``id = ANY(ARRAY(subquery))`` reads the keys first and then the fifty
        # rows through the primary key (0.9 ms).
        from django.contrib.postgres.expressions import ArraySubquery

        return rows.filter(_EqualsAny(F("pk"), ArraySubquery(keys)))
    return rows.filter(pk__in=keys)


class _EqualsAny(Func):
    """``left = ANY(right)``: PostgreSQL's test of a value against an array."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        left, right = self.get_source_expressions()
        left_sql, left_params = compiler.compile(left)
        right_sql, right_params = compiler.compile(right)
        return f"{left_sql} = ANY({right_sql})", (*left_params, *right_params)
