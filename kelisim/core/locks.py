"""Serialising a check-then-insert on one key, on both databases.

``hold(key)`` inside a transaction makes every other transaction that holds the same key wait until this one
ends: on PostgreSQL with a transaction-level advisory lock, on SQLite by taking the database's write lock
at once (Kelisim's SQLite transactions are IMMEDIATE, so a writer already holds it from its first
statement). Use it where a rule reads before it writes ("the same comment twice is refused").
"""

import hashlib

from django.db import connection, transaction


def hold(key: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locks.hold() must be called inside a transaction")
    if connection.vendor == "postgresql":
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
