"""Full-text search for any model, on SQLite (FTS5) and PostgreSQL (tsvector + GIN), one API.

Kelisim runs on SQLite out of the box and on PostgreSQL when it grows; both have a real
full-text engine, and ``icontains`` over tens of thousands of rows is neither fast nor ranked.
This module hides the difference behind three steps.

1. Describe the index once, next to the model (in ``<app>/search_indexes.py`` or ``models.py``)::

       ORGANISATION_SEARCH = SearchIndex(
           name="organisations_search",
           table="organisations_organisation",
           columns=(("name_kk", "A"), ("name_ru", "A"), ("name_en", "A"), ("bin", "A"),
                    ("description_ru", "C"), ...),
       )

   Weights are PostgreSQL's A (most important) to D; SQLite's bm25 gets matching column weights.

2. Create it in a migration of the app (the operation does nothing on other databases, and the
   matching reverse drops it)::

       operations = [ORGANISATION_SEARCH.create_operation()]

   On SQLite this creates an external-content FTS5 virtual table (``unicode61`` tokenizer with
   diacritics folded) and three triggers that keep it in
   step with the table on every INSERT, UPDATE and DELETE, including ``bulk_create`` and raw
   SQL. On PostgreSQL it creates a GIN expression index over a weighted ``to_tsvector('simple',
   ...)``: the 'simple' configuration lowercases and splits words without a stemmer, which suits
   mixed Kazakh, Russian and English text where no single language's stemmer would be right.

   Also call ``register_search_index(ORGANISATION_SEARCH)`` from the app's ``AppConfig.ready()``: after every
   ``migrate`` the index is checked and repaired. That matters on SQLite, where Django rebuilds
   a table to alter a column and the triggers go with the old table.

3. Search::

       results = search(Organisation.objects.filter(region=region), ORGANISATION_SEARCH, "жастар bin")

   returns the queryset restricted to rows matching every word (each word also matches as a
   prefix: "жаст" finds "жастар"), annotated with ``search_rank`` (higher is better) and ordered
   by it. The user's text never reaches the query syntax: it is split into words, each word is
   quoted, so ``OR``, ``NEAR``, ``*``, quotes, colons and parentheses are just characters. Text
   with no words returns the queryset unchanged. On any other database it falls back to
   ``icontains`` on every column (correct, unranked, slow).
"""

# SQL is assembled from identifiers only, each checked against IDENTIFIER in SearchIndex; every
# value from a user travels as a query parameter.
# ruff: noqa: S608, S610, S611

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, migrations
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

MAX_TERMS = 12
# Words: runs of letters and digits in any script. Everything else separates them.
WORD = re.compile(r"\w+", re.UNICODE)
BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
# count_and_best counts in the index alone while at most this many rows are hidden from the visitor.
HIDDEN_AT_MOST = 2000
# ... and reads the rows to show from the index's first POOL_PER_SHOWN rows for each one shown.
POOL_PER_SHOWN = 40
SQLITE_FOLD_FUNCTION = "kelisim_fold"
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def query_terms(text: str | None) -> list[str]:
    """The words of a user's search text, lowercased, de-duplicated, at most ``MAX_TERMS``."""
    seen: list[str] = []
    for word in WORD.findall((text or "").lower()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def fts5_match_expression(terms: list[str]) -> str:
    """An FTS5 MATCH string: every term quoted (so never an operator) and prefix-matched."""
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


def tsquery_expression(terms: list[str]) -> str:
    """A ``to_tsquery`` string: every term quoted as a lexeme and prefix-matched, all required."""
    return " & ".join("'" + term.replace("'", "''").replace("\\", "\\\\") + "':*" for term in terms)


@dataclass(frozen=True)
class SearchIndex:
    name: str
    table: str
    columns: tuple[tuple[str, str], ...]
    pk: str = "id"

    def __post_init__(self):
        for identifier in (self.name, self.table, self.pk, *[column for column, _weight in self.columns]):
            if not IDENTIFIER.match(identifier):
                raise ValueError(f"Not a plain SQL identifier: {identifier!r}")
        for _column, weight in self.columns:
            if weight not in BM25_WEIGHTS:
                raise ValueError(f"Weight must be one of A, B, C, D, not {weight!r}")

    def primary_columns(self) -> list[str]:
        """The columns of the highest weight (an organisation's names)."""
        highest = min(weight for _column, weight in self.columns)
        return [column for column, weight in self.columns if weight == highest]

    @property
    def column_names(self) -> list[str]:
        return [column for column, _weight in self.columns]

    # --- SQLite FTS5 -------------------------------------------------------------------------

    def _sqlite_create(self) -> list[str]:
        names = ", ".join(self.column_names)
        new_values = ", ".join(f"new.{column}" for column in self.column_names)
        old_values = ", ".join(f"old.{column}" for column in self.column_names)
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.name} USING fts5({names}, content='{self.table}', "
            f"content_rowid='{self.pk}', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_ai AFTER INSERT ON {self.table} BEGIN "
            f"INSERT INTO {self.name}(rowid, {names}) VALUES (new.{self.pk}, {new_values}); END",
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_ad AFTER DELETE ON {self.table} BEGIN "
            f"INSERT INTO {self.name}({self.name}, rowid, {names}) VALUES ('delete', old.{self.pk}, {old_values}); END",
            # Only when a searched column changes: verifying 20,000 organisations must not touch the index.
            f"CREATE TRIGGER IF NOT EXISTS {self.name}_au AFTER UPDATE OF {names} ON {self.table} BEGIN "
            f"INSERT INTO {self.name}({self.name}, rowid, {names}) VALUES ('delete', old.{self.pk}, {old_values}); "
            f"INSERT INTO {self.name}(rowid, {names}) VALUES (new.{self.pk}, {new_values}); END",
        ]

    def _sqlite_drop(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.name}_ai",
            f"DROP TRIGGER IF EXISTS {self.name}_ad",
            f"DROP TRIGGER IF EXISTS {self.name}_au",
            f"DROP TABLE IF EXISTS {self.name}",
        ]

    def _sqlite_rebuild(self) -> str:
        return f"INSERT INTO {self.name}({self.name}) VALUES ('rebuild')"

    # --- PostgreSQL -----------------------------------------------------------------------------

    def pg_document_sql(self, alias: str | None = None) -> str:
        """The weighted tsvector expression. Queries use this exact text so the GIN index applies."""
        prefix = f'"{alias}".' if alias else ""
        parts = [
            f"setweight(to_tsvector('simple'::regconfig, COALESCE({prefix}\"{column}\", ''::text)), '{weight}')"
            for column, weight in self.columns
        ]
        return "(" + " || ".join(parts) + ")"

    def _pg_create(self) -> list[str]:
        return [f"CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} USING GIN ({self.pg_document_sql()})"]

    def _pg_drop(self) -> list[str]:
        return [f"DROP INDEX IF EXISTS {self.name}"]

    # --- Creating, checking and repairing ----------------------------------------------------

    def create(self, schema_connection=None) -> None:
        conn = schema_connection or connection
        with conn.cursor() as cursor:
            if conn.vendor == "sqlite":
                for statement in self._sqlite_create():
                    cursor.execute(statement)
                cursor.execute(self._sqlite_rebuild())
            elif conn.vendor == "postgresql":
                for statement in self._pg_create():
                    cursor.execute(statement)

    def drop(self, schema_connection=None) -> None:
        conn = schema_connection or connection
        with conn.cursor() as cursor:
            if conn.vendor == "sqlite":
                for statement in self._sqlite_drop():
                    cursor.execute(statement)
            elif conn.vendor == "postgresql":
                for statement in self._pg_drop():
                    cursor.execute(statement)

    def is_complete(self, schema_connection=None) -> bool:
        conn = schema_connection or connection
        with conn.cursor() as cursor:
            if conn.vendor == "sqlite":
                cursor.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                    [self.name, f"{self.name}_ai", f"{self.name}_ad", f"{self.name}_au"],
                )
                return cursor.fetchone()[0] == 4
            if conn.vendor == "postgresql":
                cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [self.name])
                return cursor.fetchone()[0] == 1
        return True

    def repair(self, schema_connection=None) -> bool:
        """Recreate what is missing (and refill the SQLite index). True when something was repaired."""
        conn = schema_connection or connection
        if self.table not in conn.introspection.table_names() or self.is_complete(conn):
            return False
        self.create(conn)
        return True

    def create_operation(self) -> migrations.RunPython:
        """A migration operation that creates the index on SQLite or PostgreSQL and nothing elsewhere."""

        def forwards(apps, schema_editor):
            self.create(schema_editor.connection)

        def backwards(apps, schema_editor):
            self.drop(schema_editor.connection)

        return migrations.RunPython(forwards, backwards, elidable=False)


_registered: dict[str, SearchIndex] = {}


def register_search_index(index: SearchIndex) -> None:
    """Keep ``index`` checked after every ``migrate`` (call from ``AppConfig.ready()``)."""
    from django.db.models.signals import post_migrate

    _registered[index.name] = index
    post_migrate.connect(_repair_registered, dispatch_uid="kelisim.core.search.repair")


def registered_indexes() -> list[SearchIndex]:
    return list(_registered.values())


def _repair_registered(sender, using="default", **kwargs):
    from django.db import connections

    for index in _registered.values():
        index.repair(connections[using])


def search(queryset: QuerySet, index: SearchIndex, query: str | None) -> QuerySet:
    """``queryset`` narrowed to rows matching every word of ``query``, best first (``search_rank``)."""
    terms = query_terms(query)
    if not terms:
        return queryset
    vendor = connection.vendor
    pk_column = f'"{index.table}"."{index.pk}"'
    if vendor == "sqlite":
        weights = ", ".join(str(BM25_WEIGHTS[weight]) for _column, weight in index.columns)
        # A join with the FTS table: SQLite runs the MATCH once and fetches each row by rowid. (A
        # correlated subquery per row re-ran the MATCH for every row: quadratic on broad words.)
        # bm25 is "lower is better"; negate so that every backend ranks "higher is better".
        return queryset.extra(
            select={"search_rank": f"-bm25({index.name}, {weights})"},
            tables=[index.name],
            where=[f"{index.name}.rowid = {pk_column}", f"{index.name} MATCH %s"],
            params=[fts5_match_expression(terms)],
        ).order_by("-search_rank", "pk")
    if vendor == "postgresql":
        document = index.pg_document_sql(index.table)
        tsquery = tsquery_expression(terms)
        matches = RawSQL(f"{document} @@ to_tsquery('simple'::regconfig, %s)", [tsquery], BooleanField())
        rank = RawSQL(f"ts_rank({document}, to_tsquery('simple'::regconfig, %s))", [tsquery], FloatField())
        return queryset.filter(matches).annotate(search_rank=rank).order_by(F("search_rank").desc(), "pk")
    condition = Q()
    for term in terms:
        any_column = Q()
        for column in index.column_names:
            any_column |= Q(**{f"{column}__icontains": term})
        condition &= any_column
    return queryset.filter(condition).annotate(search_rank=Value(0.0, FloatField())).order_by("pk")


def count_and_best(
    queryset: QuerySet, index: SearchIndex, query: str | None, limit: int, *, hidden: QuerySet, newest: bool = False
) -> tuple[int, list]:
    """How many rows of ``queryset`` match ``query``, and ``limit`` of them for a search box's group: the best
    matches, or with ``newest`` the latest written (highest key).

    ``hidden`` holds the rows of the same table that ``queryset`` leaves out (suggestions of unpublished
    versions, excluded organisations), a small set. On SQLite the FTS5 index then counts and orders on its own,
    without reading every matching row (a common word matches tens of thousands of suggestions): the count is
    the index's minus the hidden rows that match, and the rows shown are read from the index's first few
    hundred. Elsewhere, when many rows are hidden, or when that pool holds too few visible rows, it is the plain
    :func:`search`. The count is the same either way."""
    terms = query_terms(query)
    hidden_ids = list(hidden.values_list("pk", flat=True)[: HIDDEN_AT_MOST + 1]) if terms else []
    if not terms or connection.vendor != "sqlite" or len(hidden_ids) > HIDDEN_AT_MOST:
        found = search(queryset, index, query)
        if newest:
            found = found.order_by("-pk")
        return found.count(), list(found[:limit])
    match = fts5_match_expression(terms)
    weights = ", ".join(str(BM25_WEIGHTS[weight]) for _column, weight in index.columns)
    matching = f"SELECT rowid FROM {index.name} WHERE {index.name} MATCH %s"
    order = "rowid DESC" if newest else f"bm25({index.name}, {weights}), rowid"
    pool = limit * POOL_PER_SHOWN
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index.name} WHERE {index.name} MATCH %s", [match])
        count = cursor.fetchone()[0]
        if hidden_ids:
            marks = ", ".join(["%s"] * len(hidden_ids))
            cursor.execute(f"SELECT count(*) FROM ({matching}) WHERE rowid IN ({marks})", [match, *hidden_ids])
            count -= cursor.fetchone()[0]
        pool_ids = []
        primary = index.primary_columns()
        if not newest and len(primary) < len(index.columns):
            # Ranking every match of a broad word costs tens of milliseconds (all 23,000 organisations match
            # "молодёжь"). A row matching in the most weighted columns (the names) outranks one matching only
            # in the others (the descriptions), so when a whole pool matches there, the best are among them.
            cursor.execute(f"{matching} ORDER BY {order} LIMIT %s", [f"{{{' '.join(primary)}}} : ({match})", pool])
            pool_ids = [row[0] for row in cursor.fetchall()]
        if len(pool_ids) < pool:
            cursor.execute(f"{matching} ORDER BY {order} LIMIT %s", [match, pool])
            pool_ids = [row[0] for row in cursor.fetchall()]
    visible = set(queryset.filter(pk__in=pool_ids).values_list("pk", flat=True))
    shown_ids = [pk for pk in pool_ids if pk in visible][:limit]
    rows = queryset.in_bulk(shown_ids)
    shown = [rows[pk] for pk in shown_ids]
    if len(shown) < min(limit, count) and len(pool_ids) == pool:
        found = search(queryset, index, query)
        shown = list((found.order_by("-pk") if newest else found)[:limit])
    return count, shown


def _fold(*values) -> str:
    return "\n".join(str(value) for value in values if value is not None).casefold()


def register_sqlite_functions(sender=None, connection=None, **kwargs) -> None:
    """``connection_created`` receiver: SQLite's own ``lower()`` and ``LIKE`` fold the case of ASCII letters
    only, so a case-insensitive "contains" in Kazakh or Russian needs Python's case folding."""
    if connection is not None and connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function(SQLITE_FOLD_FUNCTION, -1, _fold, deterministic=True)


class ContainsFolded(Func):
    """True where ``term`` occurs in one of ``columns``, whatever the case, in any alphabet.

    One expression for all the columns (their text joined by a line break on SQLite, a space on PostgreSQL;
    no search word holds either, so a word never matches across two columns): a filter over every column and
    every spelling of the word took longer to build in Python than the database took to run it."""

    output_field = BooleanField()

    def __init__(self, columns, term: str):
        self.term = term
        super().__init__(*(F(column) if isinstance(column, str) else column for column in columns))

    def as_sqlite(self, compiler, connection, **extra_context):
        columns, params = self._compiled_columns(compiler, connection)
        return f"instr({SQLITE_FOLD_FUNCTION}({', '.join(columns)}), %s) > 0", (*params, self.term.casefold())

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = self._compiled_columns(compiler, connection)
        joined = f"UPPER(CONCAT_WS(' ', {', '.join(f'({column})::text' for column in columns)}))"
        return f"strpos({joined}, UPPER(%s)) > 0", (*params, self.term)

    def _compiled_columns(self, compiler, connection):
        columns, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            columns.append(sql)
            params.extend(expression_params)
        return columns, params


def contains_every_word(queryset: QuerySet, fields: list[str], query: str | None) -> QuerySet:
    """For small tables without a full-text index (roundtables, calls, contracts, plan items, experts): rows
    where every word of ``query`` appears in at least one of ``fields`` (case-insensitive in any alphabet)."""
    for term in query_terms(query):
        queryset = queryset.filter(ContainsFolded(fields, term))
    return queryset


def first_rows_and_count(found: QuerySet, limit: int) -> tuple[list, int]:
    """The first ``limit`` rows of ``found`` and how many it holds in all; counted only when the first rows
    fill the page (most searches of a small table find fewer, and then the rows are the count)."""
    rows = list(found[:limit])
    return rows, (len(rows) if len(rows) < limit else found.count())
