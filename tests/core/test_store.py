"""The store (issue 2 "Store"): SQLite in WAL mode with foreign keys, versioned migrations, one transaction per
change, and a clear StoreError with no partial state when the database is locked, read-only, full or corrupt."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from cryptography import x509
from sqlalchemy import event, func, inspect, select, text

from tests.support import storestate
from zmconsole.cli import errors as cli_errors
from zmconsole.core import audit, ca, inventory, issuance, revocation, schema, sealing, settings
from zmconsole.core import store as store_module
from zmconsole.core.errors import Hint, HintKind, StoreError
from zmconsole.core.store import Store

DB = storestate.DB_FILENAME


@pytest.mark.sqlite_only
def test_wal_mode_and_foreign_keys(store: Store, home: Path) -> None:
    with store.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with store.write() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    # WAL is a property of the file: a plain sqlite3 connection sees it too.
    with closing(storestate.connect(home)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_foreign_keys_are_enforced(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    before = storestate.snapshot(home)
    with pytest.raises(StoreError, match="FOREIGN KEY"), store.write() as conn:
        conn.execute(schema.certificates.insert().values(
            serial="01", kind="device", common_name="ZM-001", device_id="ZM-NOBODY", ca_id=unlocked.info.id,
            not_before=0, not_after=1, issued_at=0, key_type="ec-p256", key_source="csr", fingerprint="00",
            der=b"x"))
    assert storestate.snapshot(home) == before


@pytest.mark.sqlite_only
def test_files_are_private(store: Store, home: Path) -> None:
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / DB).stat().st_mode) & 0o077 == 0


def test_migrations_create_the_schema_at_head(store: Store) -> None:
    script = ScriptDirectory(str(Path(store_module.__file__).with_name("migrations")))
    assert script.get_current_head() == store_module.SCHEMA_HEAD
    with store.read() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(store_module.SCHEMA_HEAD,)]
        found = inspect(conn)
        live = {t: [c["name"] for c in found.get_columns(t)] for t in found.get_table_names() if t != "alembic_version"}
        indexes = {i["name"] for t in live for i in found.get_indexes(t)}
    # The migrations build exactly the tables and columns the code queries.
    assert live == {t.name: [c.name for c in t.columns] for t in schema.metadata.sorted_tables}
    assert {i.name for t in schema.metadata.sorted_tables for i in t.indexes} <= indexes


def test_a_second_open_is_a_no_op(store: Store, home: Path) -> None:
    statements: list[str] = []
    again = Store(store.url, label="again", home=home)
    with again.engine.connect():  # the driver's own questions on connecting (PostgreSQL's version...) aside
        pass
    event.listen(again.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))
    again.migrate()
    again.dispose()
    assert [s for s in statements if s.split()[0].upper() not in ("SELECT", "BEGIN", "COMMIT", "ROLLBACK")] == []
    assert [s for s in statements if s.startswith("SELECT")] == ["SELECT version_num FROM alembic_version"]
    reopened = Store.open(home)
    reopened.dispose()
    with closing(storestate.connect(home)) as raw:
        assert raw.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_every_change_is_one_transaction(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after the certificate row is written (here: sealing the held key) leaves nothing behind."""
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)

    def crash(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("power cut")

    monkeypatch.setattr(sealing, "seal", crash)
    with pytest.raises(RuntimeError, match="power cut"):
        issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True)
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions


# --- a serial can never repeat -------------------------------------------------------------------------


def test_a_duplicate_serial_is_impossible(store: Store, home: Path, unlocked: ca.UnlockedCa,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    # Force the random source to repeat itself: the store's unique constraint must refuse the certificate.
    monkeypatch.setattr(x509, "random_serial_number", lambda: first.certificate.serial_number)
    with pytest.raises(StoreError, match="same key"):
        issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256")
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions
    with pytest.raises(StoreError, match="same key"), store.write() as conn:
        audit.append(conn, "test.duplicate", "ZM-003")
        conn.execute(schema.certificates.insert().values(
            serial=first.serial, kind="device", common_name="ZM-001", device_id="ZM-001", ca_id=unlocked.info.id,
            not_before=0, not_after=1, issued_at=0, key_type="ec-p256", key_source="csr", fingerprint="00",
            der=b"x"))
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions


# --- locked, read-only, full, corrupt ------------------------------------------------------------------


@contextmanager
def held_write_lock(home: Path) -> Iterator[None]:
    """Another process's write transaction, as the provisioning service would hold it: SQLite's write lock, or
    on PostgreSQL the advisory lock every zmconsole write takes first."""
    url = os.environ.get("ZMCONSOLE_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as other:
            other.execute(f"SELECT pg_advisory_xact_lock({store_module._PG_WRITE_LOCK})")
            yield
            other.rollback()
        return
    other = sqlite3.connect(home / DB, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_locked_store_is_a_clear_error_with_no_partial_state(home: Path, unlocked: ca.UnlockedCa,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_BUSY_TIMEOUT_MS", 100)
    impatient = Store.open(home)  # new connections get the short busy timeout
    issuance.issue_device(impatient, unlocked, "ZM-001", generate="ec-p256")
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    try:
        with held_write_lock(home):
            for attempt in (lambda: issuance.issue_device(impatient, unlocked, "ZM-002", generate="ec-p256"),
                            lambda: revocation.revoke(impatient, "ZM-001", "lost"),
                            lambda: revocation.generate_crl(impatient, unlocked),
                            lambda: settings.set_value(impatient, "device-days", "200")):
                with pytest.raises(StoreError) as raised:
                    attempt()
                assert "is locked by another zmconsole process" in str(raised.value)
                assert "try again" in str(raised.value)
            # Readers are not blocked by a writer (SQLite's WAL mode, PostgreSQL's snapshots).
            rows = inventory.list_devices(impatient, settings.load(impatient))
            assert [r.device_id for r in rows] == ["ZM-001"]
    finally:
        impatient.dispose()
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions


@pytest.mark.sqlite_only
def test_a_read_only_store_is_a_clear_error(home: Path, unlocked: ca.UnlockedCa,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which file permissions do not stop, so the read-only handle is SQLite's own."""
    store = Store.open(home)
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    store.dispose()
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    monkeypatch.setenv("ZMCONSOLE_DATABASE_URL", f"sqlite:///file:{home / DB}?mode=ro&uri=true")
    read_only = Store.open(home)
    try:
        assert [r.device_id for r in inventory.list_devices(read_only, settings.load(read_only))] == ["ZM-001"]
        with pytest.raises(StoreError, match="is read-only") as raised:
            issuance.issue_device(read_only, unlocked, "ZM-002", generate="ec-p256")
        assert raised.value.hint == Hint(HintKind.CHOOSE_HOME)
        assert "--home" in cli_errors.text(raised.value) and "--home" not in str(raised.value)
        with pytest.raises(StoreError, match="is read-only"):
            revocation.revoke(read_only, "ZM-001", "lost")
    finally:
        read_only.dispose()
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions; the SQLite read-only handle "
                                               "test above covers the error path")
def test_a_read_only_database_file_is_opened_read_only(home: Path, unlocked: ca.UnlockedCa) -> None:
    (home / DB).chmod(0o400)
    try:
        opened = Store.open(home)
        try:
            assert ca.current(opened) is not None  # reading works
            with pytest.raises(StoreError, match="is read-only"):
                settings.set_value(opened, "device-days", "200")
        finally:
            opened.dispose()
    finally:
        (home / DB).chmod(0o600)


@pytest.mark.sqlite_only
def test_a_full_disk_is_a_clear_error_with_no_partial_state(store: Store, home: Path,
                                                            unlocked: ca.UnlockedCa) -> None:
    """SQLite's own page limit stands in for a full disk: the same SQLITE_FULL error reaches the store."""
    with store.read() as conn:
        pages = int(conn.execute(text("PRAGMA page_count")).scalar_one())
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    cramped = Store(f"sqlite:///{home / DB}", label=str(home / DB), home=home)
    event.listen(cramped.engine, "connect",
                 lambda dbapi, _record: dbapi.execute(f"PRAGMA max_page_count = {pages}"))
    try:
        with pytest.raises(StoreError, match="is full: free some space"):
            for n in range(200):  # each issuance needs new pages sooner or later
                issuance.issue_device(cramped, unlocked, f"ZM-{n:03d}", generate="ec-p256")
    finally:
        cramped.dispose()
    after = storestate.snapshot(home)
    issued = {r[0] for r in after["devices"]} - {r[0] for r in before["devices"]}
    # Whatever fitted is complete (device, certificate, audit entry); the one that did not fit left nothing.
    assert len(after["certificates"]) == len(before["certificates"]) + len(issued)
    assert storestate.audit_actions(home) == actions + ["cert.issued"] * len(issued)
    assert audit.verify(store).ok


@pytest.mark.sqlite_only
@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-header"])
def test_a_corrupt_store_is_a_clear_error(home: Path, unlocked: ca.UnlockedCa, damage: str) -> None:
    issuance.issue_device(Store.open(home), unlocked, "ZM-001", generate="ec-p256")
    db = home / DB
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        db.write_bytes(data[:1500])
    else:
        db.write_bytes(b"\0" * 100 + data[100:])
    with pytest.raises(StoreError) as raised:
        opened = Store.open(home)
        try:
            inventory.list_devices(opened, settings.load(opened))
        finally:
            opened.dispose()
    message = str(raised.value)
    assert "damaged" in message or "not a readable database" in message, message
    assert "backup" in message


def test_a_missing_data_directory_cannot_be_created(tmp_path: Path) -> None:
    from zmconsole.core import paths

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="Cannot create the data directory"):
        paths.ensure_home(blocker / "home")


def test_counts_through_sqlalchemy_match_the_file(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    with store.read() as conn:
        count = conn.execute(select(func.count()).select_from(schema.certificates)).scalar_one()
    assert count == len(storestate.snapshot(home)["certificates"]) == 1
