"""The store's indexes (issue 2: the expiry check "is an indexed query"; docs/performance.md): each one serves a
query, and the queries that need them get them (EXPLAIN QUERY PLAN of the statement the code really runs)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex

from tests.support import storestate
from zmconsole.core import ca, inventory, issuance, revocation, schema, settings
from zmconsole.core import store as store_module
from zmconsole.core.store import Store

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def _index_sql(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    return {name: sql for name, sql in rows}


def test_the_migrations_build_exactly_the_indexes_the_schema_declares(store: Store, home: Path) -> None:
    """Names, columns and partial WHERE clauses alike: a query written against schema.py gets its index."""
    declared = {index.name: str(CreateIndex(index).compile(dialect=sqlite.dialect()))
                for table in schema.metadata.sorted_tables for index in table.indexes}
    with closing(storestate.connect(home)) as raw:
        assert _index_sql(raw) == declared


def test_a_store_at_the_previous_revision_upgrades_in_place(home: Path) -> None:
    """A 0002 store with a certificate in it: Store.open moves it to the head, rows intact, same indexes."""
    db = home / storestate.DB_FILENAME
    engine = create_engine(f"sqlite:///{db}")
    config = Config()
    config.set_main_option("script_location", str(Path(store_module.__file__).with_name("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(text("INSERT INTO cas VALUES (1, 'fp', 'CN=x', 'ec-p384', 0, 9, x'00', x'00', 0, 1)"))
        conn.execute(text("INSERT INTO certificates (serial, kind, common_name, ca_id, not_before, not_after, "
                          "issued_at, key_type, key_source, fingerprint, der, revoked_at, revocation_reason) "
                          "VALUES ('0A', 'server', 'h.example', 1, 0, 9, 0, 'ec-p256', 'csr', 'fp', x'00', 5, "
                          "'lost')"))
    engine.dispose()
    upgraded = Store.open(home)
    upgraded.dispose()
    fresh = home.parent / "fresh"
    fresh.mkdir()
    Store.open(fresh).dispose()
    with closing(storestate.connect(home)) as raw, closing(storestate.connect(fresh)) as new:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(store_module.SCHEMA_HEAD,)]
        assert _index_sql(raw) == _index_sql(new)
        assert raw.execute("SELECT serial, revoked_at FROM certificates INDEXED BY ix_certificates_crl "
                           "WHERE ca_id = 1 AND (revoked_at IS NOT NULL OR superseded_at IS NOT NULL)"
                           ).fetchall() == [("0A", 5)]


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


def plan(store: Store, statement: str, parameters: Any) -> str:
    with store.read() as conn:
        return " | ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters))


@pytest.fixture
def history(store: Store, unlocked: ca.UnlockedCa, make_csr: Any) -> None:
    """Devices issued, one renewed past its grace period, one revoked, and a server certificate re-issued."""
    start = NOW - timedelta(days=30)
    for number in range(1, 6):
        device = f"ZM-00{number}"
        issuance.issue_device(store, unlocked, device, csr=make_csr(device), now=start)
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"), renew=True, now=start)
    revocation.revoke(store, "ZM-002", "lost", now=NOW - timedelta(days=1))
    for _ in range(2):
        issuance.issue_server(store, unlocked, "telemetry.hospital.example", generate="ec-p256", now=start)


@pytest.mark.parametrize("query", [inventory.crossed_thresholds, inventory.expiry_counts])
def test_the_expiry_check_reads_indexes_only(store: Store, history: None, query: Any) -> None:
    """The list and the summary of the daily check: covering indexes only, never a certificate row (and its
    DER); the list is sorted by the index itself, with no temporary B-tree."""
    with captured(store, lambda s: "FROM certificates" in s and "not_after <=" in s) as seen:
        query(store, settings.load(store), now=NOW + timedelta(days=300))
    [(statement, parameters)] = seen
    steps = plan(store, statement, parameters).split(" | ")
    assert steps[0] == "SEARCH certificates USING COVERING INDEX ix_certificates_expiry (not_after<?)", steps
    assert "SEARCH devices USING COVERING INDEX ix_devices_current (current_certificate_id=?) LEFT-JOIN" in steps, steps
    assert all("TEMP B-TREE" not in step for step in steps) or query is inventory.expiry_counts, steps


def test_the_crl_reads_only_its_covering_index(store: Store, unlocked: ca.UnlockedCa, history: None) -> None:
    """The CRL scan never touches the certificates table (and its DER), and needs no sort."""
    with captured(store, lambda s: s.startswith("SELECT certificates.serial")) as seen:
        crl = revocation.generate_crl(store, unlocked, now=NOW)
    assert crl.entries == 3  # ZM-002 revoked; ZM-001's first and the first server certificate superseded
    [(statement, parameters)] = seen
    steps = plan(store, statement, parameters)
    assert steps == "SEARCH certificates USING COVERING INDEX ix_certificates_crl (ca_id=?)", steps


def test_a_server_certificate_is_superseded_through_the_host_name_index(store: Store, unlocked: ca.UnlockedCa,
                                                                        history: None) -> None:
    with captured(store, lambda s: s.startswith("UPDATE certificates SET superseded_at")) as seen:
        issuance.issue_server(store, unlocked, "telemetry.hospital.example", generate="ec-p256", now=NOW)
    [(statement, parameters)] = seen
    steps = plan(store, statement, parameters)
    assert "USING INDEX ix_certificates_cn (common_name=?)" in steps, steps


def test_a_new_device_certificate_enters_neither_partial_index(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                                make_csr: Any) -> None:
    """What makes them cheap: issuing a device certificate writes no entry into either."""
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"), now=NOW)
    with closing(storestate.connect(home)) as raw:
        for index, condition in (("ix_certificates_crl", schema.ON_CRL), ("ix_certificates_cn", schema.NOT_A_DEVICE)):
            # Counted through the index itself (INDEXED BY), under the index's own condition.
            query = f"SELECT count(*) FROM certificates INDEXED BY {index} WHERE {condition.compile()}"  # noqa: S608
            assert raw.execute(query).fetchone() == (0,), index
