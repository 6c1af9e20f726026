"""The store's indexes (issue 2: the expiry check "is an indexed query"; docs/performance.md): each one serves a
query, and the queries that need them get them (the plan of the statement the code really runs), on SQLite and
on PostgreSQL alike (tests/support/queryplan.py)."""

from __future__ import annotations

import os
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text

from tests.support import storestate
from tests.support.queryplan import captured, is_postgres, steps
from zmconsole.core import ca, inventory, issuance, revocation, schema, settings
from zmconsole.core import store as store_module
from zmconsole.core.store import Store

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def _index_sql(conn: Connection) -> dict[str, str]:
    """Every index the database holds, by name, in its own words (not those backing a key or a UNIQUE)."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                                 "AND indexname NOT IN (SELECT conname FROM pg_constraint)"))
    else:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    return {name: sql for name, sql in rows}


def _indexes(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        return _index_sql(conn)


def test_the_migrations_build_exactly_the_indexes_the_schema_declares(request: pytest.FixtureRequest, store: Store,
                                                                      tmp_path: Path) -> None:
    """Names, columns and partial WHERE clauses alike: a query written against schema.py gets its index. The
    declared ones are what schema.py itself creates in an empty database."""
    empty = (request.getfixturevalue("postgres_server").create_database() if is_postgres(store)
             else f"sqlite:///{tmp_path / 'declared.db'}")
    engine = create_engine(empty)
    try:
        with engine.begin() as conn:
            schema.metadata.create_all(conn)
            declared = _index_sql(conn)
    finally:
        engine.dispose()
    assert set(declared) == {index.name for table in schema.metadata.sorted_tables for index in table.indexes}
    assert _indexes(store) == declared


def test_a_store_at_the_previous_revision_upgrades_in_place(home: Path, other_store: Store) -> None:
    """A 0002 store with a certificate in it: Store.open moves it to the head, rows intact, and its indexes are
    those of a store made at the head (``other_store``)."""
    url = os.environ.get("ZMCONSOLE_DATABASE_URL") or f"sqlite:///{home / storestate.DB_FILENAME}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(Path(store_module.__file__).with_name("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(text("INSERT INTO cas VALUES (1, 'fp', 'CN=x', 'ec-p384', 0, 9, :der, :der, 0, :active)"),
                     {"der": b"\0", "active": True})
        conn.execute(text("INSERT INTO certificates (serial, kind, common_name, ca_id, not_before, not_after, "
                          "issued_at, key_type, key_source, fingerprint, der, revoked_at, revocation_reason) "
                          "VALUES ('0A', 'server', 'h.example', 1, 0, 9, 0, 'ec-p256', 'csr', 'fp', :der, 5, "
                          "'lost')"), {"der": b"\0"})
    engine.dispose()
    upgraded = Store.open(home)
    try:
        assert upgraded.schema_version() == store_module.SCHEMA_HEAD
        assert _indexes(upgraded) == _indexes(other_store)
        through = "" if is_postgres(upgraded) else " INDEXED BY ix_certificates_crl"  # SQLite: through the index
        with upgraded.read() as conn:
            assert conn.execute(text(f"SELECT serial, revoked_at FROM certificates{through} WHERE ca_id = 1 AND "  # noqa: S608
                                     "(revoked_at IS NOT NULL OR superseded_at IS NOT NULL)")).all() == [("0A", 5)]
    finally:
        upgraded.dispose()


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
    plan = steps(store, statement, parameters)
    listed = query is inventory.crossed_thresholds
    if is_postgres(store):
        assert "Index Only Scan using ix_certificates_expiry on certificates" in plan, plan
        assert any(s.startswith("Index Only Scan using ix_devices_current on devices") for s in plan), plan
        assert not any(s.startswith(("Seq Scan", "Index Scan", "Bitmap")) for s in plan), plan
        assert not (listed and any(s.startswith("Sort") for s in plan)), plan
        return
    assert plan[0] == "SEARCH certificates USING COVERING INDEX ix_certificates_expiry (not_after<?)", plan
    assert "SEARCH devices USING COVERING INDEX ix_devices_current (current_certificate_id=?) LEFT-JOIN" in plan, plan
    assert not (listed and any("TEMP B-TREE" in step for step in plan)), plan


def test_the_crl_reads_only_its_covering_index(store: Store, unlocked: ca.UnlockedCa, history: None) -> None:
    """The CRL scan never touches the certificates table (and its DER), and needs no sort."""
    with captured(store, lambda s: s.startswith("SELECT certificates.serial")) as seen:
        crl = revocation.generate_crl(store, unlocked, now=NOW)
    assert crl.entries == 3  # ZM-002 revoked; ZM-001's first and the first server certificate superseded
    [(statement, parameters)] = seen
    plan = steps(store, statement, parameters)
    if is_postgres(store):
        assert plan[0] == "Index Only Scan using ix_certificates_crl on certificates", plan
        assert not any(s.startswith(("Sort", "Seq Scan", "Index Scan")) for s in plan), plan
    else:
        assert plan == ["SEARCH certificates USING COVERING INDEX ix_certificates_crl (ca_id=?)"], plan


def test_a_server_certificate_is_superseded_through_the_host_name_index(store: Store, unlocked: ca.UnlockedCa,
                                                                        history: None) -> None:
    with captured(store, lambda s: s.startswith("UPDATE certificates SET superseded_at")) as seen:
        issuance.issue_server(store, unlocked, "telemetry.hospital.example", generate="ec-p256", now=NOW)
    [(statement, parameters)] = seen
    plan = " | ".join(steps(store, statement, parameters))
    wanted = ("Index Scan using ix_certificates_cn on certificates" if is_postgres(store)
              else "USING INDEX ix_certificates_cn (common_name=?)")
    assert wanted in plan, plan


def test_a_new_device_certificate_enters_neither_partial_index(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                                                make_csr: Any) -> None:
    """What makes them cheap: issuing a device certificate writes no entry into either."""
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"), now=NOW)
    with closing(storestate.connect(home)) as raw:
        for index, condition in (("ix_certificates_crl", schema.ON_CRL), ("ix_certificates_cn", schema.NOT_A_DEVICE)):
            # Counted under the index's own condition (a partial index holds exactly those rows); on SQLite
            # through the index itself (INDEXED BY).
            through = "" if storestate.is_postgres(raw) else f" INDEXED BY {index}"
            query = f"SELECT count(*) FROM certificates{through} WHERE {condition.compile()}"  # noqa: S608
            assert raw.execute(query).fetchone() == (0,), index
