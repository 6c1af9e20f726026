"""The pairing state machine: the one module that writes ``schema.pairings`` (docs/pairing-protocol.md §7.1).

Every change of a pairing row is a named transition below, run inside the caller's write transaction (the
connection it takes), so it commits or rolls back with the rest of the operation: a prepared pairing with its
certificate, an issued certificate with the pairing marked used. Each transition states the states it starts
from in its ``UPDATE ... WHERE`` and raises :class:`TransitionRefused` if the row is in no such state, so a race
or a bug can never move a row along an edge that does not exist::

    (new) ──create──▶ ACTIVE ──mark_used──────────▶ USED ──forget_retry_data (past expiry)
                        │ ──count_wrong_code (5th)─▶ BURNED
                        │ ──expire (past expiry)───▶ EXPIRED ◀──expire (past expiry, a dead claim)── ISSUING
                        │ ──cancel─────────────────▶ CANCELLED                                         │
                        ◀────────────────release_stale_claim (a dead claim, not yet expired)──────────┘

Only ``expire`` and ``forget_retry_data`` act on a row past its expiry; the others refuse it.

``ISSUING`` is a claim left by a service that issued in a transaction of its own; this version issues and
marks the pairing used in one transaction, so it reads the state and releases a stale claim but never
writes it. When a token ends unused, its verifier and sealed key are deleted, and a certificate issued in
console key mode but never delivered is revoked (reason ``superseded``), since nobody holds its key any more.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, or_, select, update

from zmconsole.core import audit, schema, utc
from zmconsole.core.errors import ConflictError
from zmconsole.core.pairing.protocol import MAX_CODE_ATTEMPTS, KeyMode


class PairingState(enum.StrEnum):
    """A pairing row's ``state`` column (the stored strings)."""

    ACTIVE = "active"  # waiting for the device
    ISSUING = "issuing"  # a right proof was claimed (by an earlier version of the service)
    USED = "used"  # the certificate or bundle was delivered
    BURNED = "burned"  # MAX_CODE_ATTEMPTS wrong codes
    EXPIRED = "expired"  # not used before its expiry
    CANCELLED = "cancelled"  # replaced by a new pairing, or cancelled on the console


PENDING = (PairingState.ACTIVE, PairingState.ISSUING)
ISSUING_TIMEOUT = timedelta(minutes=5)  # a claim older than this was interrupted (its service stopped)
UNDELIVERED_REASON = "superseded"  # revocation reason for a console-made certificate nobody received

_p, _c = schema.pairings, schema.certificates
_FORGET = {"auth_key": None, "sealed_key": None, "csr": None, "response": None, "response_signature": None}


class TransitionRefused(ConflictError):
    """A transition was asked of a pairing whose state does not allow it (another process moved it first)."""


# --- the rules, spelled once, in SQL -------------------------------------------------------------------------


def stale_claim(now: datetime) -> ColumnElement[bool]:
    """The rule "a claim older than ``ISSUING_TIMEOUT`` is dead" (its process stopped)."""
    return and_(_p.c.state == PairingState.ISSUING, _p.c.claimed_at <= utc.to_epoch(now - ISSUING_TIMEOUT))


def due_to_expire(now: datetime) -> ColumnElement[bool]:
    """Pending rows past their expiry: an active token, or a dead claim."""
    return and_(_p.c.expires_at <= utc.to_epoch(now), or_(_p.c.state == PairingState.ACTIVE, stale_claim(now)))


def _unexpired(now: datetime) -> ColumnElement[bool]:
    return _p.c.expires_at > utc.to_epoch(now)


def effective_state(now: datetime) -> ColumnElement[str]:
    """The state a row is in at ``now`` once what is due is applied (expiry, a dead claim released)."""
    return case((due_to_expire(now), PairingState.EXPIRED.value), (stale_claim(now), PairingState.ACTIVE.value),
                else_=_p.c.state)


# --- transitions -----------------------------------------------------------------------------------------------


def create(conn: Connection, *, token_sha256: str, device_id: str, key_mode: KeyMode, now: datetime,
           expires_at: datetime, provisioning_url: str, ward: str | None, signer_key_id: str, auth_key: bytes,
           sealed_key: bytes | None, certificate_id: int | None, csr: bytes | None = None) -> int:
    """(new) → ACTIVE: a pairing waiting for its device. Returns its id.

    A console-key pairing has either its ``certificate_id`` (issued when prepared, with the CA unlocked) or its
    ``csr`` (DER, signed by the sealed key), from which the key holder issues when the device pulls it."""
    if key_mode == KeyMode.CONSOLE_KEY and (sealed_key is None or (certificate_id is None) == (csr is None)):
        raise ValueError("a console-key pairing needs its sealed key and either its certificate or its CSR")
    result = conn.execute(_p.insert().values(
        token_sha256=token_sha256, device_id=device_id, key_mode=int(key_mode), state=PairingState.ACTIVE,
        created_at=utc.to_epoch(now), expires_at=utc.to_epoch(expires_at), failures=0,
        provisioning_url=provisioning_url, ward=ward, signer_key_id=signer_key_id, auth_key=auth_key,
        sealed_key=sealed_key, certificate_id=certificate_id, csr=csr))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def mark_used(conn: Connection, row: schema.Row, now: datetime, *, body_sha256: str, details: dict[str, Any],
              certificate_id: int | None = None, response: bytes | None = None, signer_key_id: str | None = None,
              actor: str | None = None) -> None:
    """ACTIVE → USED: delivered; the verifier is deleted. ``response`` is kept for an idempotent retry (an
    enrollment's certificate only, recognised by the token and the exact CSR). ``certificate_id`` is the one
    issued for this request (an enrollment, or a console-key pairing's CSR issued at pull time)."""
    values: dict[str, Any] = {"state": PairingState.USED, "finished_at": utc.to_epoch(now), "response": response,
                              "response_signature": None, "sealed_key": None, "auth_key": None,  # dies on use
                              "csr": None,
                              "body_sha256": body_sha256}
    if certificate_id is not None:
        values["certificate_id"] = certificate_id
    if signer_key_id is not None:
        values["signer_key_id"] = signer_key_id
    _move(conn, row, (PairingState.ACTIVE,), values, "marked used", where=_unexpired(now))
    audit.append(conn, "pairing.used", row.device_id, {"pairing": row.id, **details}, actor=actor, now=now)


def count_wrong_code(conn: Connection, row: schema.Row, now: datetime, *, source: str = "") -> int:
    """ACTIVE → ACTIVE with one more failure, or → BURNED at the ``MAX_CODE_ATTEMPTS``-th. Returns the count."""
    failures = int(row.failures) + 1
    _move(conn, row, (PairingState.ACTIVE,), {"failures": failures}, "counted a wrong code", where=_unexpired(now))
    if failures >= MAX_CODE_ATTEMPTS:
        _end(conn, row, PairingState.BURNED, (PairingState.ACTIVE,), now, None, why=f"{failures} wrong pairing codes",
             source=source)
    return failures


def expire(conn: Connection, row: schema.Row, now: datetime, *, actor: str | None = None, source: str = "") -> None:
    """ACTIVE or a dead claim, past expiry → EXPIRED."""
    _end(conn, row, PairingState.EXPIRED, PENDING, now, actor, why="expired before the device used it",
         source=source, where=due_to_expire(now))


def cancel(conn: Connection, row: schema.Row, now: datetime, *, why: str, actor: str | None = None,
           source: str = "") -> None:
    """ACTIVE, not yet expired → CANCELLED (replaced, cancelled on the console, or its certificate revoked)."""
    _end(conn, row, PairingState.CANCELLED, (PairingState.ACTIVE,), now, actor, why=why, source=source,
         where=_unexpired(now))


def release_stale_claim(conn: Connection, row: schema.Row, now: datetime) -> None:
    """ISSUING for longer than ``ISSUING_TIMEOUT``, not expired → ACTIVE: the claim's process stopped."""
    _move(conn, row, (PairingState.ISSUING,), {"state": PairingState.ACTIVE, "claimed_at": None}, "released",
          where=and_(stale_claim(now), _unexpired(now)))


def settle(conn: Connection, row: schema.Row, now: datetime, *, source: str = "") -> bool:
    """Apply what is due to one row (expire it, or release its dead claim); True if the row changed."""
    due = conn.execute(select(effective_state(now)).where(_p.c.id == row.id)).scalar_one()
    if due == row.state:
        return False
    if due == PairingState.EXPIRED:
        expire(conn, row, now, source=source)
    else:
        release_stale_claim(conn, row, now)
    return True


def forget_retry_data(conn: Connection, now: datetime) -> int:
    """USED → USED, past expiry: drop the kept response (and a verifier an earlier version kept), which only
    retries needed."""
    result = conn.execute(update(_p).where(and_(
        _p.c.state == PairingState.USED, _p.c.expires_at <= utc.to_epoch(now),
        or_(_p.c.auth_key.is_not(None), _p.c.response.is_not(None)))).values(**_FORGET))
    return int(result.rowcount)


# --- the writing itself ------------------------------------------------------------------------------------------


def _move(conn: Connection, row: schema.Row, sources: tuple[PairingState, ...], values: dict[str, Any], verb: str, *,
          where: ColumnElement[bool] | None = None) -> None:
    condition = and_(_p.c.id == row.id, _p.c.state.in_(sources), *([] if where is None else [where]))
    if conn.execute(update(_p).where(condition).values(**values)).rowcount != 1:
        current = conn.execute(select(_p.c.state).where(_p.c.id == row.id)).scalar_one_or_none()
        raise TransitionRefused(f"The pairing for {row.device_id} (#{row.id}) is {current or 'gone'}, so it cannot "
                                f"be {verb} now: create a new pairing code on the console if the device still "
                                "needs one.")


def _end(conn: Connection, row: schema.Row, state: PairingState, sources: tuple[PairingState, ...], now: datetime,
         actor: str | None, *, why: str, source: str, where: ColumnElement[bool] | None = None) -> None:
    """End a token that was not used: forget its secrets, revoke a certificate made for it that was never
    delivered, and audit ``pairing.<state>``."""
    _move(conn, row, sources, {"state": state, "finished_at": utc.to_epoch(now), **_FORGET}, str(state), where=where)
    details: dict[str, Any] = {"pairing": row.id, "why": why}
    if source:
        details["source"] = source
    audit.append(conn, f"pairing.{state}", row.device_id, details, actor=actor, now=now)
    if row.certificate_id is not None and row.key_mode == KeyMode.CONSOLE_KEY:
        _revoke_undelivered(conn, row.certificate_id, f"pairing {state}", now, actor)


def _revoke_undelivered(conn: Connection, certificate_id: int, why: str, now: datetime, actor: str | None) -> None:
    cert = conn.execute(select(_c.c.serial, _c.c.common_name, _c.c.revoked_at)
                        .where(_c.c.id == certificate_id)).first()
    if cert is None or cert.revoked_at is not None:
        return
    conn.execute(update(_c).where(_c.c.id == certificate_id)
                 .values(revoked_at=utc.to_epoch(now), revocation_reason=UNDELIVERED_REASON))
    conn.execute(schema.held_keys.delete().where(schema.held_keys.c.certificate_id == certificate_id))
    audit.append(conn, "cert.revoked", cert.common_name, {
        "serials": [cert.serial], "reason": UNDELIVERED_REASON, "rfc5280": "superseded",
        "why": f"never delivered ({why}); its key is gone"}, actor=actor, now=now)
