"""Authorising a device's request: headers, token, state and code proof, in section 7.1's normative order.

:func:`authorise` runs inside the caller's write transaction and returns a typed result: :class:`Authorised`
(the proof is right; go on), :class:`Replay` (a retry of an enrollment that succeeded; answer it again) or the
:class:`PairingRefused` to raise once the transaction, with its failure count and audit entry, has committed.
State changes go through ``state``; nothing here writes a pairing row itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select

from zmconsole.core import schema, utc
from zmconsole.core.pairing import protocol, state
from zmconsole.core.pairing.protocol import MAX_CODE_ATTEMPTS, KeyMode, ProofPurpose
from zmconsole.core.pairing.refusals import PairingRefused, RefusalLog, audit_refusal
from zmconsole.core.pairing.state import PairingState

_p, _c = schema.pairings, schema.certificates
_HEX = frozenset(string.hexdigits)
_ENDED = {PairingState.BURNED: "token_burned", PairingState.EXPIRED: "token_expired",
          PairingState.CANCELLED: "token_cancelled"}


@dataclass(frozen=True)
class PairingRequest:
    """A device's enrollment or bundle request as received: the three pairing headers and the raw body."""

    device_id: str | None  # ZM-Device-Id
    token: str | None  # ZM-Enrollment-Token, hex
    proof: str | None = field(default=None, repr=False)  # ZM-Code-Proof, hex
    body: bytes = field(default=b"", repr=False)
    source: str = ""  # the client's address, for the audit trail


@dataclass(frozen=True)
class Authorised:
    """A request whose code proof is right, for an active pairing of its device and key mode."""

    row: schema.Row
    device_id: str
    token: bytes = field(repr=False)
    body: bytes = field(repr=False)


@dataclass(frozen=True)
class Replay:
    """A retry of an enrollment that already succeeded: the same token, code and CSR get the same answer."""

    row: schema.Row


@dataclass(frozen=True)
class Attempt:
    """One request being authorised, inside its write transaction."""

    conn: Connection
    request: PairingRequest
    purpose: ProofPurpose
    mode: KeyMode
    decode: Callable[[bytes], bytes]  # the endpoint's body decoder; raises PairingRefused
    now: datetime
    log: RefusalLog | None = None

    def refuse(self, subject: str, error: PairingRefused, pairing_id: int | None = None) -> PairingRefused:
        return audit_refusal(self.conn, self.log, subject, error, endpoint=self.purpose.value,
                             source=self.request.source, now=self.now, pairing_id=pairing_id)


def authorise(attempt: Attempt) -> Authorised | Replay | PairingRefused:
    """Section 7.1's processing order, in the attempt's write transaction."""
    try:
        device_id, token, proof = _parse(attempt.request)
    except PairingRefused as error:
        return attempt.refuse(str(attempt.request.device_id or "-")[:64], error)
    found = attempt.conn.execute(select(_p).where(_p.c.token_sha256 == hashlib.sha256(token).hexdigest())).first()
    if found is None:
        return attempt.refuse(device_id, PairingRefused(
            "token_unknown", "The provisioning service does not know this pairing code (it was not made by this "
            "hospital's console, or the QR code was altered): create a new pairing code on the console."))
    row: schema.Row = found
    if state.settle(attempt.conn, row, attempt.now, source=attempt.request.source):  # expired, or a dead claim
        row = attempt.conn.execute(select(_p).where(_p.c.id == row.id)).one()
    if row.state in (PairingState.USED, PairingState.ISSUING):
        if _is_replay(attempt, row, device_id, token, proof):
            return Replay(row)
        return attempt.refuse(row.device_id, PairingRefused("token_used", used_message(row.device_id)), row.id)
    refused = _refusal_before_proof(row, device_id, attempt.mode)
    if refused is not None:
        return attempt.refuse(row.device_id, refused, row.id)
    try:
        body = attempt.decode(attempt.request.body)
    except PairingRefused as error:
        return attempt.refuse(row.device_id, error, row.id)
    if not protocol.verify_code_proof(row.auth_key, proof, purpose=attempt.purpose, token=token, device_id=device_id,
                                      body=body):
        return _wrong_code(attempt, row)
    return Authorised(row, device_id, token, body)


def _refusal_before_proof(row: schema.Row, device_id: str, mode: KeyMode) -> PairingRefused | None:
    """Why a request for this (settled, not used) pairing is refused before its proof is even checked."""
    if row.state != PairingState.ACTIVE:
        code = _ENDED.get(PairingState(row.state), "token_cancelled")
        message = {
            "token_burned": f"Too many wrong pairing codes were typed for {row.device_id}, so this pairing is locked: "
                            "create a new pairing code on the console.",
            "token_expired": f"The pairing code for {row.device_id} expired at "
                             f"{utc.from_epoch(row.expires_at):%Y-%m-%d %H:%M} UTC: create a new pairing code on the "
                             "console.",
        }.get(code, f"The pairing for {row.device_id} was cancelled or replaced on the console: scan the newest "
                    "QR code shown there.")
        return PairingRefused(code, message)
    if row.key_mode != mode:
        wanted = ("send its own certificate request (EST simpleenroll)" if row.key_mode == KeyMode.DEVICE_KEY
                  else "pull its bundle (POST /zmp/v1/bundle)")
        return PairingRefused("wrong_key_mode", f"The pairing for {row.device_id} expects the device to {wanted}: "
                                                "update the device software, or create a pairing code in the other "
                                                "key mode.")
    if device_id != row.device_id:
        return PairingRefused("device_mismatch", f"This pairing code is for {row.device_id}, but the request comes "
                                                 f"from {device_id}: scan the code the console shows for {device_id}.")
    return None


def _wrong_code(attempt: Attempt, row: schema.Row) -> PairingRefused:
    failures = state.count_wrong_code(attempt.conn, row, attempt.now, source=attempt.request.source)
    if failures >= MAX_CODE_ATTEMPTS:  # state audited the burn
        return PairingRefused("token_burned", f"The pairing code was wrong {failures} times, so this pairing for "
                                              f"{row.device_id} is locked: create a new pairing code on the console.")
    left = MAX_CODE_ATTEMPTS - failures
    return attempt.refuse(row.device_id, PairingRefused(
        "wrong_code", f"The pairing code is wrong: {left} attempt{'s' if left != 1 else ''} left. Check the code "
                      "shown beside the QR code and type it again.", remaining_attempts=left), row.id)


def _is_replay(attempt: Attempt, row: schema.Row, device_id: str, token: bytes, proof: bytes) -> bool:
    """A used enrollment retried with the same token and CSR, before expiry, its certificate unrevoked.

    Only an enrollment may be answered again: its response is a public certificate. A bundle holds the sealed
    key, so a console-key token is strictly single-use and its response is not kept. The verifier is deleted on
    use, so a retry is recognised by the token and the exact CSR (only the device has its bytes), and gets only
    the public certificate for a key only the device holds.
    """
    if row.state != PairingState.USED or attempt.mode != KeyMode.DEVICE_KEY or row.key_mode != attempt.mode:
        return False
    if row.device_id != device_id or utc.to_epoch(attempt.now) >= row.expires_at:
        return False
    try:
        body = attempt.decode(attempt.request.body)
    except PairingRefused:
        return False
    return (row.body_sha256 == hashlib.sha256(body).hexdigest()
            and attempt.conn.execute(select(_c.c.revoked_at).where(_c.c.id == row.certificate_id)).scalar() is None)


def used_message(device_id: str) -> str:
    return (f"The pairing code for {device_id} was already used: create a new pairing code on the console. If this "
            "device did not use it, tell IT security, because another device may have paired in its place.")


def _header(value: str | None, name: str, length: int) -> bytes:
    text = (value or "").strip()
    if len(text) != length or not set(text) <= _HEX:
        raise PairingRefused("malformed_request", f"The {name} header is missing or is not {length} hexadecimal "
                                                  "characters: update the device software.")
    return bytes.fromhex(text)


def _parse(request: PairingRequest) -> tuple[str, bytes, bytes]:
    device_id = (request.device_id or "").strip()
    try:
        protocol.check_device_id(device_id)
    except protocol.PayloadError:
        raise PairingRefused("malformed_request", "The ZM-Device-Id header is missing or is not a device ID: "
                                                  "update the device software.") from None
    return (device_id, _header(request.token, "ZM-Enrollment-Token", 2 * protocol.TOKEN_BYTES),
            _header(request.proof, "ZM-Code-Proof", 64))


def decode_csr_body(body: bytes) -> bytes:
    """The DER CSR of a ``simpleenroll`` body (base64, line breaks allowed; RFC 7030 §4.2.1)."""
    compact = b"".join(body.split())
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        der = b""
    if not der:
        raise PairingRefused("malformed_request", "The enrollment request's body is not a base64 PKCS#10 "
                                                  "certificate request: update the device software.")
    return der


def empty_body(body: bytes) -> bytes:
    """A bundle request's body, which must be empty."""
    if body:
        raise PairingRefused("malformed_request", "A bundle request must have an empty body: update the device "
                                                  "software.")
    return b""
