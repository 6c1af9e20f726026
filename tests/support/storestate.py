"""Looking at and tampering with the store from outside the code under test: plain ``sqlite3`` on the file.

With ZMCONSOLE_DATABASE_URL set (ZM_TEST_STORE=postgres), plain psycopg on that database instead, behind the
same ``execute(sql, params)`` with ``?`` placeholders, so that one test proves one guarantee on both stores.
Statements written here stick to SQL both accept.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.support import postgres

DB_FILENAME = "zmconsole.db"
# The audit chain's head lives in settings; it moves with every audit entry, like audit_log itself.
_AUDIT_HEAD = "audit_head"

Snapshot = dict[str, list[tuple[Any, ...]]]


class _Postgres:
    """A psycopg connection that answers sqlite3's ``execute`` with ``?`` placeholders, autocommitting."""

    def __init__(self, url: str) -> None:
        import psycopg

        self._conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        return self._conn.execute(sql.replace("?", "%s"), params)  # type: ignore[call-overload]

    def commit(self) -> None:
        """Autocommitting already."""

    def __enter__(self) -> _Postgres:  # sqlite3's "with conn:" commits; every statement here already did
        return self

    def __exit__(self, *_: object) -> None:
        """Nothing to commit or roll back."""

    def close(self) -> None:
        self._conn.close()


def connect(home: Path) -> Any:
    url = postgres.database_of(home) or os.environ.get("ZMCONSOLE_DATABASE_URL")
    if url and url.startswith("postgresql"):
        return _Postgres(url)
    return sqlite3.connect(home / DB_FILENAME, timeout=10)


def is_postgres(conn: Any) -> bool:
    return isinstance(conn, _Postgres)


def tamper(home: Path, *statements: str) -> None:
    """Change the store behind the code's back (what someone with write access to the database could do)."""
    with closing(connect(home)) as conn:
        for statement in statements:
            conn.execute(statement)
        conn.commit()


def tables(conn: Any) -> list[str]:
    if isinstance(conn, _Postgres):
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    else:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows)


def snapshot(home: Path) -> Snapshot:
    """Every row of every table except the audit trail (and its head), in a stable order."""
    with closing(connect(home)) as conn:
        result: Snapshot = {}
        for table in tables(conn):
            if table in ("audit_log", "audit_checkpoints"):  # the checkpoint moves with the audit trail
                continue
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608 - names from sqlite_master
            if table == "settings":
                rows = [r for r in rows if r[0] != _AUDIT_HEAD]
            result[table] = sorted(rows, key=repr)
        return result


def audit_actions(home: Path) -> list[str]:
    with closing(connect(home)) as conn:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY seq")]


def cells(home: Path) -> Iterator[tuple[str, str, bytes]]:
    """Every TEXT or BLOB cell of every table as ``(table, column, bytes)``."""
    with closing(connect(home)) as conn:
        for table in tables(conn):
            cursor = conn.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from sqlite_master
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        yield table, column, value
                    elif isinstance(value, str):
                        yield table, column, value.encode()


def rows(home: Path, table: str, order_by: str | None = None) -> list[dict[str, Any]]:
    """The rows of one table as dictionaries (column name to value), in ``order_by``'s order if given (without
    it, PostgreSQL promises no order)."""
    order = f" ORDER BY {order_by}" if order_by else ""
    with closing(connect(home)) as conn:
        cursor = conn.execute(f"SELECT * FROM {table}{order}")  # noqa: S608 - test-chosen names
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor]
