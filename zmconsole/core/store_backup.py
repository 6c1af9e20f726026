"""``store backup`` and ``store restore``: one portable file for either database.

The backup is JSON lines: a header (format, schema revision, when, from where), then one line per row of each
of the store's own tables in foreign-key order, then an end line with the row count, so a truncated file is
refused. Binary cells are base64. It is taken from one consistent snapshot while others keep writing: SQLite's
online backup API copies the file first (the copy is then read at leisure); PostgreSQL reads every table in
one REPEATABLE READ transaction. The file is written 0600 but needs no more protection than the store: the
CA key in it is the store's encrypted PKCS#8 and held device keys are the store's sealed blobs, so the backup
holds no private key in plaintext.

A restore goes into an empty store only (one whose tables hold nothing but settings), in one write
transaction, and on PostgreSQL moves each id sequence past the restored rows: the next serial, CRL number and
audit entry continue from the backup's, never reusing one.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from zmconsole.core import output_files, schema
from zmconsole.core.errors import ConflictError, InputError
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.store import SCHEMA_HEAD, WRITTEN_BY_KEY, Store

FORMAT = "zmconsole-store-backup"
FORMAT_VERSION = 1
_B64 = "$b64"
# Rows of these settings keys describe the store they are in, not its content: a restore keeps the target's.
_OWN_SETTINGS = (WRITTEN_BY_KEY,)


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    schema: str
    rows: dict[str, int]


def _tables() -> list[Table]:
    return list(schema.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {_B64: base64.b64encode(bytes(value)).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and _B64 in value:
        return base64.b64decode(value[_B64])
    return value


def _dump(conn: Connection, source: str) -> tuple[bytes, dict[str, int]]:
    lines = [json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "schema": SCHEMA_HEAD, "source": source,
                         "made_at": datetime.now(UTC).isoformat(timespec="seconds")})]
    counts: dict[str, int] = {}
    for table in _tables():
        key = [c for c in table.primary_key.columns]
        counts[table.name] = 0
        for row in conn.execute(select(table).order_by(*key)):
            lines.append(json.dumps({"t": table.name, "r": {k: _encode(v) for k, v in row._mapping.items()}},
                                    separators=(",", ":")))
            counts[table.name] += 1
    lines.append(json.dumps({"end": True, "rows": sum(counts.values())}))
    return ("\n".join(lines) + "\n").encode(), counts


def _sqlite_snapshot(store: Store, scratch: Path) -> Path:
    """Copy the live SQLite database with its online backup API into ``scratch``: a consistent copy, taken
    while other processes keep writing (each of their commits either is in it whole or not at all)."""
    copy = scratch / "snapshot.db"
    with store.engine.connect() as conn:
        source = conn.connection.dbapi_connection
        assert isinstance(source, sqlite3.Connection)
        with sqlite3.connect(copy) as target:
            source.backup(target)
        target.close()
    return copy


def backup(store: Store, out: Path, *, force: bool = False) -> BackupSummary:
    """Write a consistent backup of ``store`` to ``out`` (0600, complete or not at all)."""
    require_role(store, Operation.STORE_MANAGE, "backup")
    output_files.check_destination(out, force=force)
    if store.url.startswith("sqlite"):
        with tempfile.TemporaryDirectory(prefix="zmconsole-backup-", dir=_scratch_dir(store)) as scratch:
            copy = Store(f"sqlite:///{_sqlite_snapshot(store, Path(scratch))}", label=store.label)
            try:
                with copy.read() as conn:
                    data, counts = _dump(conn, store.label)
            finally:
                copy.dispose()
    else:
        with store.read() as conn:  # one REPEATABLE READ snapshot of every table (Store._begin)
            data, counts = _dump(conn, store.label)
    output_files.write(out, data, private=True, force=force)
    return BackupSummary(out, SCHEMA_HEAD, counts)


def _scratch_dir(store: Store) -> str | None:
    """Beside the store (same disk, same privacy) when it has a data directory, else the system's."""
    if store.home is not None and os.access(store.home, os.W_OK):
        return str(store.home)
    return None


def _read(path: Path) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except OSError as error:
        raise InputError(f"Cannot read the backup {path} ({error.strerror}).") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path} is not a zmconsole store backup (not UTF-8 text).") from error
    try:
        header = json.loads(lines[0]) if lines else {}
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise InputError(f"{path} is not a zmconsole store backup (made by `zmconsole store backup`).")
        end = json.loads(lines[-1])
        rows = [json.loads(line) for line in lines[1:-1]]
    except (ValueError, IndexError) as error:
        raise InputError(f"The backup {path} is damaged (a line is not JSON): use another copy.") from error
    if not isinstance(end, dict) or end.get("end") is not True or end.get("rows") != len(rows):
        raise InputError(f"The backup {path} is incomplete (its end line is missing or counts other rows): it "
                         "was cut short; use another copy.")
    if header.get("version") != FORMAT_VERSION:
        raise InputError(f"The backup {path} has format version {header.get('version')}, this zmconsole reads "
                         f"{FORMAT_VERSION}: restore it with the zmconsole that made it.")
    if header.get("schema") != SCHEMA_HEAD:
        raise InputError(f"The backup {path} holds store schema {header.get('schema')}, this zmconsole's is "
                         f"{SCHEMA_HEAD}: restore it with the zmconsole version that made it, then upgrade "
                         "with `zmconsole store upgrade`.")
    return header, [(row["t"], {k: _decode(v) for k, v in row["r"].items()}) for row in rows]


def occupied(conn: Connection) -> list[str]:
    """The tables (other than settings) that hold rows: empty for a store a restore may fill."""
    return [t.name for t in _tables()
            if t.name != "settings" and conn.execute(select(func.count()).select_from(t)).scalar_one()]


def restore(store: Store, path: Path) -> dict[str, int]:
    """Fill the empty ``store`` from the backup at ``path``; the row count per table."""
    require_role(store, Operation.STORE_MANAGE, "restore")
    rows = _read(path)[1]
    tables = {t.name: t for t in _tables()}
    unknown = sorted({name for name, _ in rows if name not in tables})
    if unknown:
        raise InputError(f"The backup {path} holds tables this zmconsole does not know ({', '.join(unknown)}).")
    counts = {name: 0 for name in tables}
    with store.write() as conn:
        full = occupied(conn)
        if full:
            raise ConflictError(
                f"The store {store.label} is not empty (it holds {', '.join(full)}): nothing was restored. "
                "Restore into a new data directory (--home) or a new, empty database.")
        conn.execute(tables["settings"].delete().where(tables["settings"].c.key.not_in(_OWN_SETTINGS)))
        for name, values in rows:
            if name == "settings" and values.get("key") in _OWN_SETTINGS:
                continue
            conn.execute(tables[name].insert().values(**values))
            counts[name] += 1
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
    return counts


def _advance_sequences(conn: Connection) -> None:
    """Move every id sequence past the restored rows, so that the next insert takes a new id."""
    for table in _tables():
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence is None:  # not a serial column (a text key, or numbers the code assigns itself)
                continue
            highest = conn.execute(select(func.max(column))).scalar()
            conn.execute(text("SELECT setval(:s, :v, :called)"),
                         {"s": sequence, "v": highest or 1, "called": highest is not None})
