"""The pairing state machine (``core/pairing/state.py``): every transition, allowed and refused, and its one writer.

Rows are put into each starting situation with plain ``sqlite3`` (the test's own hands, not the product's), then
every transition is tried from every situation: where the diagram allows it the row moves to the state it names;
anywhere else :class:`TransitionRefused` is raised and the store is unchanged.
"""

from __future__ import annotations

import ast
import secrets
from collections.abc import Callable
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, select

import zmconsole
from tests.support import storestate
from zmconsole.core import issuance, schema
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.pairing import state
from zmconsole.core.pairing.protocol import MAX_CODE_ATTEMPTS, KeyMode
from zmconsole.core.pairing.state import ISSUING_TIMEOUT, PairingState, TransitionRefused
from zmconsole.core.store import Store

A, IS, U, B, E, C = (PairingState.ACTIVE, PairingState.ISSUING, PairingState.USED, PairingState.BURNED,
                    PairingState.EXPIRED, PairingState.CANCELLED)

# Where a row can stand: (stored state, past its expiry, its claim older than ISSUING_TIMEOUT).
SITUATIONS = {
    "active": (A, False, False), "active, past expiry": (A, True, False),
    "issuing": (IS, False, False), "issuing, past expiry": (IS, True, False),
    "issuing, dead claim": (IS, False, True), "issuing, dead claim, past expiry": (IS, True, True),
    "used": (U, False, False), "burned": (B, False, False), "expired": (E, True, False),
    "cancelled": (C, False, False),
}
Transition = Callable[[Connection, schema.Row, datetime], object]
TRANSITIONS: dict[str, Transition] = {
    "mark_used": lambda conn, row, now: state.mark_used(conn, row, now, body_sha256="0" * 64, details={}),
    "count_wrong_code": lambda conn, row, now: state.count_wrong_code(conn, row, now),
    "expire": lambda conn, row, now: state.expire(conn, row, now),
    "cancel": lambda conn, row, now: state.cancel(conn, row, now, why="cancelled on the console"),
    "release_stale_claim": lambda conn, row, now: state.release_stale_claim(conn, row, now),
}
# The diagram in state.py: (transition, situation) -> the state it leads to. Everything else is refused.
ALLOWED = {
    ("mark_used", "active"): U,
    ("count_wrong_code", "active"): A,
    ("expire", "active, past expiry"): E,
    ("expire", "issuing, dead claim, past expiry"): E,
    ("cancel", "active"): C,
    ("release_stale_claim", "issuing, dead claim"): A,
}


def put_row(store: Store, home: Path, now: datetime, situation: str, *, failures: int = 0) -> int:
    stored, past, dead = SITUATIONS[situation]
    with store.write() as conn:
        pairing_id = state.create(
            conn, token_sha256=secrets.token_hex(32), device_id="ZM-001", key_mode=KeyMode.DEVICE_KEY,
            now=now - timedelta(hours=1), expires_at=now + (timedelta(seconds=-1) if past else timedelta(minutes=30)),
            provisioning_url="https://127.0.0.1:8443/", ward=None, signer_key_id="00" * 8, auth_key=b"k" * 32,
            sealed_key=None, certificate_id=None)
    claimed = int((now - (ISSUING_TIMEOUT if dead else timedelta(seconds=1))).timestamp())
    with closing(storestate.connect(home)) as conn, conn:
        conn.execute("UPDATE pairings SET state = ?, failures = ?, claimed_at = ? WHERE id = ?",
                     (str(stored), failures, claimed if stored is IS else None, pairing_id))
    return pairing_id


def row_of(conn: Connection, pairing_id: int) -> schema.Row:
    return conn.execute(select(schema.pairings).where(schema.pairings.c.id == pairing_id)).one()


def stored_state(home: Path, pairing_id: int) -> str:
    with closing(storestate.connect(home)) as conn:
        return str(conn.execute("SELECT state FROM pairings WHERE id = ?", (pairing_id,)).fetchone()[0])


@pytest.mark.parametrize("situation", list(SITUATIONS))
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_every_transition_from_every_situation(store: Store, home: Path, now: datetime, transition: str,
                                               situation: str) -> None:
    pairing_id = put_row(store, home, now, situation)
    before = storestate.snapshot(home)
    wanted = ALLOWED.get((transition, situation))
    if wanted is None:
        with pytest.raises(TransitionRefused, match="cannot be"), store.write() as conn:
            TRANSITIONS[transition](conn, row_of(conn, pairing_id), now)
        assert storestate.snapshot(home) == before  # refused: nothing moved, nothing audited
        return
    with store.write() as conn:
        TRANSITIONS[transition](conn, row_of(conn, pairing_id), now)
    assert stored_state(home, pairing_id) == wanted


def test_ending_a_token_forgets_its_secrets_and_audits_it(store: Store, home: Path, now: datetime) -> None:
    for transition, situation, action in (("expire", "active, past expiry", "pairing.expired"),
                                          ("cancel", "active", "pairing.cancelled")):
        pairing_id = put_row(store, home, now, situation)
        with store.write() as conn:
            TRANSITIONS[transition](conn, row_of(conn, pairing_id), now)
        with closing(storestate.connect(home)) as conn:
            kept = conn.execute("SELECT auth_key, sealed_key, response, finished_at FROM pairings WHERE id = ?",
                                (pairing_id,)).fetchone()
            last = conn.execute("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()[0]
        assert kept[:3] == (None, None, None) and kept[3] == int(now.timestamp()) and last == action


def test_the_fifth_wrong_code_burns_the_token(store: Store, home: Path, now: datetime) -> None:
    pairing_id = put_row(store, home, now, "active", failures=MAX_CODE_ATTEMPTS - 2)
    with store.write() as conn:
        assert state.count_wrong_code(conn, row_of(conn, pairing_id), now) == MAX_CODE_ATTEMPTS - 1
    assert stored_state(home, pairing_id) == A
    with store.write() as conn:
        assert state.count_wrong_code(conn, row_of(conn, pairing_id), now) == MAX_CODE_ATTEMPTS
    assert stored_state(home, pairing_id) == B


@pytest.mark.parametrize(("situation", "after", "changed"), [
    ("active", A, False), ("active, past expiry", E, True), ("issuing", IS, False),
    ("issuing, dead claim", A, True), ("issuing, dead claim, past expiry", E, True), ("used", U, False),
])
def test_settle_applies_what_is_due(store: Store, home: Path, now: datetime, situation: str, after: str,
                                    changed: bool) -> None:
    pairing_id = put_row(store, home, now, situation)
    with store.write() as conn:
        assert state.settle(conn, row_of(conn, pairing_id), now) is changed
    assert stored_state(home, pairing_id) == after


def test_a_used_token_keeps_what_retries_need_until_it_expires(store: Store, home: Path, now: datetime) -> None:
    pairing_id = put_row(store, home, now, "active")
    with store.write() as conn:
        state.mark_used(conn, row_of(conn, pairing_id), now, body_sha256="0" * 64, response=b"cms", details={})
    with store.write() as conn:
        assert state.forget_retry_data(conn, now) == 0
    with store.write() as conn:
        assert state.forget_retry_data(conn, now + timedelta(hours=1)) == 1
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT state, auth_key, response FROM pairings").fetchone() == ("used", None, None)


def _console_key_row(conn: Connection, now: datetime, *, certificate_id: int | None, csr: bytes | None,
                     sealed_key: bytes | None = b"sealed") -> int:
    return state.create(
        conn, token_sha256=secrets.token_hex(32), device_id="ZM-001", key_mode=KeyMode.CONSOLE_KEY, now=now,
        expires_at=now + timedelta(minutes=30), provisioning_url="https://127.0.0.1:8443/", ward=None,
        signer_key_id="00" * 8, auth_key=b"k" * 32, sealed_key=sealed_key, certificate_id=certificate_id, csr=csr)


def test_a_console_key_pairing_without_the_ca_keeps_a_csr_until_its_certificate_is_issued_at_use(
        store: Store, home: Path, now: datetime, unlocked: UnlockedCa) -> None:
    for bad in ({"certificate_id": None, "csr": None}, {"certificate_id": 1, "csr": b"csr"},
                {"certificate_id": None, "csr": b"csr", "sealed_key": None}):
        before = storestate.snapshot(home)
        with pytest.raises(ValueError, match="either its certificate or its CSR"), store.write() as conn:
            _console_key_row(conn, now, **bad)
        assert storestate.snapshot(home) == before
    with store.write() as conn:
        pairing_id = _console_key_row(conn, now, certificate_id=None, csr=b"csr")
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", now=now)
    with store.write() as conn:
        state.mark_used(conn, row_of(conn, pairing_id), now, body_sha256="0" * 64, certificate_id=issued.record_id,
                        details={})
    with closing(storestate.connect(home)) as conn:
        assert conn.execute("SELECT state, certificate_id, csr, sealed_key, auth_key FROM pairings").fetchone() == (
            "used", issued.record_id, None, None, None)


def test_the_stored_strings_are_the_enum_values() -> None:
    assert [s.value for s in PairingState] == ["active", "issuing", "used", "burned", "expired", "cancelled"]


# --- one writer ------------------------------------------------------------------------------------------------

PRODUCT = Path(zmconsole.__file__).parent
WRITER = PRODUCT / "core" / "pairing" / "state.py"


def pairing_writes(path: Path) -> list[int]:
    """Lines of ``path`` that insert, update or delete rows of the pairings table (SQLAlchemy or raw SQL)."""
    tree = ast.parse(path.read_text(), str(path))
    aliases = {"pairings"}  # names bound to schema.pairings in this module (``_p, _c = schema.pairings, ...``)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets
                       for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            for target, value in zip(targets, values, strict=False):
                if isinstance(target, ast.Name) and isinstance(value, ast.Attribute) and value.attr == "pairings":
                    aliases.add(target.id)

    def is_pairings(node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in aliases) or (
            isinstance(node, ast.Attribute) and node.attr == "pairings")

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"update", "insert", "delete"} and node.args \
                    and is_pairings(node.args[0]):
                lines.append(node.lineno)
            if isinstance(func, ast.Attribute) and func.attr in {"update", "insert", "delete"} \
                    and is_pairings(func.value):
                lines.append(node.lineno)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.lower().split())
            if any(f"{verb} pairings" in text for verb in ("update", "insert into", "delete from")):
                lines.append(node.lineno)
    return lines


def test_only_the_state_module_writes_the_pairing_state() -> None:
    assert pairing_writes(WRITER), "the scan must see the writes the state module does make"
    migrations = PRODUCT / "core" / "migrations"
    found = {str(path.relative_to(PRODUCT)): lines for path in PRODUCT.rglob("*.py")
             if path != WRITER and migrations not in path.parents and (lines := pairing_writes(path))}
    assert found == {}, f"pairing rows written outside core/pairing/state.py: {found}"
