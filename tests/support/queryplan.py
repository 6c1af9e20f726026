"""What the database does with the statements the code really sends: captured from the engine, then explained.

SQLite answers EXPLAIN QUERY PLAN with one line per step ("SEARCH certificates USING COVERING INDEX ..."),
PostgreSQL answers EXPLAIN with a tree ("Index Only Scan using ix_... on certificates"). On a test's handful of
rows PostgreSQL always prefers reading the whole table, so there sequential and bitmap scans are switched off
for the explanation: the plan then says whether an index can serve the query at all (its partial condition
proved, its columns covering), which is what the plan of a large store relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from zmconsole.core.store import Store


@contextmanager
def captured(store: Store, wanted: Callable[[str], bool]) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) the code under the block sends to the database."""
    seen: list[tuple[str, Any]] = []

    def remember(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        if wanted(statement):
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)


def steps(store: Store, statement: str, parameters: Any) -> list[str]:
    """The plan's steps, one string each, in the database's own words."""
    with store.read() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            return [str(r[0]).strip().removeprefix("->").strip()
                    for r in conn.exec_driver_sql(f"EXPLAIN (COSTS OFF) {statement}", parameters)]
        return [str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]


def is_postgres(store: Store) -> bool:
    return store.engine.dialect.name == "postgresql"
