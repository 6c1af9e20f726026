"""The tamper-evident audit trail (seed §2.3.5).

Each entry commits to its predecessor: ``hash = SHA-256(canonical record ‖ prev_hash)``,
and the newest ``(seq, hash)`` is also kept as the chain's head. Changing an
entry breaks its hash; deleting or reordering entries breaks a ``prev_hash``
link or the sequence; cutting entries off the end disagrees with the head.
Someone who can rewrite the whole database can rewrite the whole chain too, so
``audit verify`` prints the head hash: copy it somewhere else (a ticket, a
syslog server) to anchor the chain outside the store.

Entries are appended inside the caller's write transaction, so an operation and
its audit entry commit together or not at all.
"""

from __future__ import annotations

import csv
import functools
import getpass
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, or_, select, update

from zmconsole.core import checkpoints, output_files, schema
from zmconsole.core.store import Store, mark_audited, signed_in

GENESIS = "0" * 64
_HEAD_KEY = "audit_head"

# Built once: constructing a statement costs more than executing it, and append() runs inside every issuance.
_LAST_ENTRY = (select(schema.audit_log.c.seq, schema.audit_log.c.hash)
               .order_by(schema.audit_log.c.seq.desc()).limit(1))
_INSERT_ENTRY = schema.audit_log.insert()
_UPDATE_HEAD = (update(schema.settings).where(schema.settings.c.key == bindparam("head_key"))
                .values(value=bindparam("head_value")))
_INSERT_HEAD = schema.settings.insert()


@functools.cache
def os_user() -> str:
    """The account this process runs as: looked up once (a password-database lookup costs more than a row)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _entry_hash(seq: int, at: str, user: str, action: str, subject: str, details: str, prev: str,
                operator: str | None = None) -> str:
    """The entry's hash; the operator is hashed only when there is one, so entries written before operators
    existed (and every entry of a store without operators) keep the hash they were written with."""
    fields: list[Any] = [seq, at, user, action, subject, details, prev]
    if operator is not None:
        fields.append({"operator": operator})
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def _read_head(conn: Connection) -> tuple[int, str]:
    raw = conn.execute(
        select(schema.settings.c.value).where(schema.settings.c.key == _HEAD_KEY)
    ).scalar_one_or_none()
    if raw is None:
        return 0, GENESIS
    seq, digest = json.loads(raw)
    return int(seq), str(digest)


def append(
    conn: Connection,
    action: str,
    subject: str,
    details: Mapping[str, Any] | None = None,
    *,
    actor: str | None = None,
    now: datetime | None = None,
) -> int:
    """Append one entry inside the caller's write transaction; return its sequence number."""
    last = conn.execute(_LAST_ENTRY).first()
    prev_seq, prev_hash = (0, GENESIS) if last is None else (int(last[0]), str(last[1]))
    seq = prev_seq + 1
    at = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    user = actor or os_user()
    operator = signed_in(conn)
    body = canonical(dict(details or {}))
    digest = _entry_hash(seq, at, user, action, subject, body, prev_hash, operator)
    conn.execute(_INSERT_ENTRY, {
        "seq": seq, "at": at, "os_user": user, "operator": operator, "action": action, "subject": subject,
        "details": body, "prev_hash": prev_hash, "hash": digest,
    })
    mark_audited(conn, (seq, digest))
    head = json.dumps([seq, digest])
    if conn.execute(_UPDATE_HEAD, {"head_key": _HEAD_KEY, "head_value": head}).rowcount == 0:
        conn.execute(_INSERT_HEAD, {"key": _HEAD_KEY, "value": head})
    return seq


def record(store: Store, action: str, subject: str, details: Mapping[str, Any] | None = None,
           *, actor: str | None = None, now: datetime | None = None) -> None:
    """Append a stand-alone security event (a wrong passphrase, an export) in its own transaction."""
    with store.write() as conn:
        append(conn, action, subject, details, actor=actor, now=now)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    os_user: str
    action: str
    subject: str
    details: dict[str, Any]
    hash: str
    operator: str | None = None  # who was signed in; None in a store without operators


@dataclass
class AuditReport:
    entries: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)
    damage: list[str] = field(default_factory=list)  # what SQLite's integrity check found wrong with the file
    checkpoint: checkpoints.Checkpoint | None = None  # the newest signed checkpoint, when it verified
    unsigned: list[str] = field(default_factory=list)  # entries after it: "seq action subject"
    expected_head_at: int | None = None  # where --expect-head was found in the chain

    @property
    def ok(self) -> bool:
        return not self.problems and not self.damage


def verify(store: Store, *, expect_head: str | None = None) -> AuditReport:
    """Walk the chain in order and name every entry that was changed, deleted or moved.

    The chain is then held against what a rewrite of the database cannot change: the signed checkpoint, the
    newest line of the external head record, and ``expect_head`` (a head hash copied earlier), each of which
    must be an entry of this chain. Entries after the signed checkpoint are listed in ``unsigned``.
    """
    from zmconsole.core.roles import Operation, require

    require(store, Operation.AUDIT_VERIFY, "audit")
    report = AuditReport(damage=store.integrity_problems())
    log = schema.audit_log
    expected_seq, expected_prev = 1, GENESIS
    recorded = checkpoints.last_recorded(store.home)
    wanted = None if expect_head is None else expect_head.strip().lower()
    with store.read() as conn:
        head_seq, head_hash = _read_head(conn)
        signed = checkpoints.read(conn)
        anchors = {"the signed checkpoint": None if signed is None else (signed.checkpoint.seq,
                                                                          signed.checkpoint.head),
                   f"the external record {checkpoints.RECORD_FILE}": None if recorded is None
                   else (int(recorded["seq"]), str(recorded["head"]))}
        at_seq = {anchor[0]: "" for anchor in anchors.values() if anchor is not None}
        signed_seq = signed.checkpoint.seq if signed is not None and signed.problem is None else 0
        rows = conn.execute(select(log).order_by(log.c.seq), execution_options={"yield_per": 2000})
        for row in rows:
            report.problems.extend(_entry_problems(row, expected_seq, expected_prev))
            if row.seq in at_seq:
                at_seq[row.seq] = row.hash
            if wanted is not None and row.hash == wanted:
                report.expected_head_at = row.seq
            if row.seq > signed_seq:
                report.unsigned.append(f"{row.seq} {row.action} {row.subject}")
            expected_seq, expected_prev = row.seq + 1, row.hash
            report.entries += 1
    last_seq = expected_seq - 1
    if (last_seq, expected_prev) != (head_seq, head_hash):
        if last_seq < head_seq:
            report.problems.append(f"entries {last_seq + 1}-{head_seq} deleted from the end of the log")
        else:
            report.problems.append(f"the log's newest entry ({last_seq}) is not the recorded head ({head_seq})")
    if signed is not None and signed.problem is not None:
        report.problems.append(signed.problem)
    report.problems.extend(_anchor_problems(anchors, at_seq, last_seq))
    if signed is not None and signed.problem is None:
        report.checkpoint = signed.checkpoint
    if wanted is not None and report.expected_head_at is None:
        report.problems.append(f"the expected head {wanted} is not an entry of this log: the log was rewritten "
                               "after that head was copied, or the hash was mistyped")
    report.head = expected_prev
    return report


def _entry_problems(row: schema.Row, expected_seq: int, expected_prev: str) -> list[str]:
    """What is wrong with one entry of the chain, given where the walk expected to be."""
    problems: list[str] = []
    label = f"entry {row.seq} ({row.at}, {row.action} {row.subject})"
    if row.seq != expected_seq:
        missing = (f"entry {expected_seq}" if row.seq == expected_seq + 1
                   else f"entries {expected_seq}-{row.seq - 1}")
        problems.append(f"{missing} deleted: the log jumps to entry {row.seq}")
    elif row.prev_hash != expected_prev:
        problems.append(f"{label} does not follow entry {row.seq - 1}: entries were reordered or replaced")
    recomputed = _entry_hash(row.seq, row.at, row.os_user, row.action, row.subject, row.details, row.prev_hash,
                             row.operator)
    if recomputed != row.hash:
        problems.append(f"{label} was changed after it was written")
    return problems


def _anchor_problems(anchors: dict[str, tuple[int, str] | None], at_seq: dict[int, str], last_seq: int
                     ) -> list[str]:
    """Each witness outside the rows (checkpoint, external record) must name an entry of this chain."""
    problems: list[str] = []
    for witness, anchor in anchors.items():
        if anchor is None:
            continue
        seq, digest = anchor
        if seq > last_seq:
            problems.append(f"{witness} covers entry {seq}, but the log ends at entry {last_seq}: "
                            "entries were deleted")
        elif at_seq[seq] != digest:
            problems.append(f"entry {seq} is not the one {witness} covers: the log was rewritten "
                            "(its hashes recomputed)")
    return problems


def _where(query: Select[Any], subject: str | None, action_prefix: str | None, search: str | None) -> Select[Any]:
    log = schema.audit_log
    if subject is not None:
        query = query.where(log.c.subject == subject)
    if action_prefix:
        query = query.where(log.c.action.startswith(action_prefix, autoescape=True))
    if search and search.strip():
        pattern = f"%{search.strip()}%"
        query = query.where(or_(log.c.action.ilike(pattern), log.c.subject.ilike(pattern),
                                log.c.os_user.ilike(pattern), log.c.operator.ilike(pattern),
                                log.c.details.ilike(pattern)))
    return query


def entries(store: Store, *, subject: str | None = None, action_prefix: str | None = None,
            search: str | None = None, limit: int | None = None, offset: int = 0,
            newest_first: bool = True) -> list[AuditEntry]:
    """Entries filtered in the database: by exact subject, action prefix, and text anywhere (``search``)."""
    log = schema.audit_log
    query = _where(select(log), subject, action_prefix, search)
    query = query.order_by(log.c.seq.desc() if newest_first else log.c.seq)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    with store.read() as conn:
        return [_entry(row) for row in conn.execute(query)]


def count(store: Store, *, subject: str | None = None, action_prefix: str | None = None,
          search: str | None = None) -> int:
    """How many entries :func:`entries` would return with the same filters and no limit."""
    query = _where(select(func.count()).select_from(schema.audit_log), subject, action_prefix, search)
    with store.read() as conn:
        return int(conn.execute(query).scalar_one())


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(row.seq, row.at, row.os_user, row.action, row.subject, json.loads(row.details), row.hash,
                      row.operator)


def _iter_all(store: Store) -> Iterator[Any]:
    log = schema.audit_log
    with store.read() as conn:
        yield from conn.execute(select(log).order_by(log.c.seq), execution_options={"yield_per": 2000})


def export_csv(store: Store, out: Path, *, force: bool = False, actor: str | None = None) -> int:
    """Write the whole log as CSV for a compliance review; the export itself is audited. The file is complete
    or absent, never written through a link or over a file unless ``force`` (:mod:`output_files`)."""
    from zmconsole.core.roles import Operation, require

    require(store, Operation.AUDIT_EXPORT, str(out))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["seq", "time_utc", "os_user", "action", "subject", "details", "prev_hash", "hash", "operator"])
    written = 0
    for row in _iter_all(store):
        writer.writerow([row.seq, row.at, row.os_user, row.action, row.subject, row.details,
                         row.prev_hash, row.hash, row.operator or ""])
        written += 1
    output_files.write(out, buffer.getvalue().encode("utf-8"), force=force)
    record(store, "audit.exported", str(out), {"entries": written}, actor=actor)
    return written
