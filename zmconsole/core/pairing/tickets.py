"""Pairing with state, the console's side: prepare a pairing, follow it, cancel it (docs/pairing-protocol.md).

``protocol`` is the pure protocol; this module keeps its state in the store, shared by the console
(which prepares pairings) and the provisioning service (``answers``, which answers devices). The store
holds, per token, only ``SHA-256(token)``, the device ID, the key mode, the expiry, the code verifier
(``auth_key``), a failure count and a state: never the token or the code, which exist only in the
:class:`Ticket` that :func:`prepare` returns to the person at the console.

Lifecycle of a row (``state``): ``active`` → ``issuing`` (a right proof is being turned into a certificate)
→ ``used``; or ``active`` → ``burned`` (5 wrong codes) / ``expired`` / ``cancelled`` (replaced by a new
pairing, or cancelled by the operator). When a token dies, its verifier and sealed key are deleted, and a
certificate issued in console key mode but never delivered is revoked (reason ``superseded``), since
nobody holds its key any more. The verifier is deleted when the token is used, too; a used device-key
token keeps only the CSR's hash and the response (a public certificate) until it expires, for idempotent
retries.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, or_, select, update

from zmconsole.core import audit, device_text, issuance, keys, policy, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ConflictError, InputError, ZmError
from zmconsole.core.pairing import protocol
from zmconsole.core.pairing.protocol import KeyMode
from zmconsole.core.pairing.signer import ensure_signer
from zmconsole.core.settings import PAIRING_TTL_MAX, Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

ACTIVE, ISSUING, USED, BURNED, EXPIRED, CANCELLED = "active", "issuing", "used", "burned", "expired", "cancelled"
MAX_TTL_SECONDS = PAIRING_TTL_MAX  # the settings table's cap (24 hours) holds for a --ttl given per code too
MAX_CODE_ATTEMPTS = protocol.MAX_CODE_ATTEMPTS
ISSUING_TIMEOUT = timedelta(minutes=5)  # a claim older than this was interrupted (the service stopped)
UNDELIVERED_REASON = "superseded"  # revocation reason for a console-made certificate nobody received

_p, _c = schema.pairings, schema.certificates


# --- can this device be paired? ----------------------------------------------------------------------------


class Refusal(enum.StrEnum):
    """Why a device cannot be paired now."""

    BAD_DEVICE_ID = "bad-device-id"  # not the site pattern, or more than a QR payload can carry
    ACTIVE_CERTIFICATE = "active-certificate"  # a valid certificate stands: revoke it first


@dataclass(frozen=True)
class Eligibility:
    """Whether a device can be paired now, and if not why: :func:`prepare`, ``device pair`` and the Pair page
    all ask :func:`can_pair`, so the rule lives here alone.

    ``error`` is what :func:`prepare` raises for the refusal, for a front end to show in its own words.
    ``pending`` is a pairing still waiting for this device: pairing again replaces it.
    """

    device_id: str
    refusal: Refusal | None = None
    error: ZmError | None = None
    serial: str | None = None  # the active certificate in the way (ACTIVE_CERTIFICATE)
    pending: PairingStatus | None = None

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    def raise_refusal(self) -> None:
        """Raise :attr:`error` if the device cannot be paired."""
        if self.error is not None:
            raise self.error


def can_pair(store: Store, device_id: str, *, settings: Settings | None = None,
             now: datetime | None = None) -> Eligibility:
    """Can ``device_id`` be paired now, and if not why. Read-only and cheap (a worker may call it per keystroke)."""
    now = utc.now(now)
    settings = settings or load_settings(store)
    with store.read() as conn:
        return pairable(conn, device_id, settings, now)


def pairable(conn: Connection, device_id: str, settings: Settings, now: datetime) -> Eligibility:
    """:func:`can_pair` inside the caller's transaction (``prepare`` asks it in the one that creates the pairing)."""
    try:
        _check_id(device_id, settings)
    except ZmError as error:
        return Eligibility(device_id, Refusal.BAD_DEVICE_ID, error)
    active = issuance.active_certificate(conn, device_id, now)
    if active is not None:
        return Eligibility(device_id, Refusal.ACTIVE_CERTIFICATE, ConflictError(
            f"{device_id} already has an active certificate (serial {active.serial}): revoke it before pairing the "
            "device again."), serial=active.serial)
    latest = conn.execute(_latest(device_id)).first()
    pending = None if latest is None else _status(latest, now)
    return Eligibility(device_id, pending=pending if pending is not None and pending.outcome == "pending" else None)


def _check_id(device_id: str, settings: Settings) -> None:
    policy.check_device_id(device_id, settings)
    protocol.check_device_id(device_id)


# --- preparing a pairing (the console) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ticket:
    """What the console shows for a new pairing. ``qr_text`` and ``pairing_code`` exist only here."""

    pairing_id: int
    device_id: str
    key_mode: KeyMode
    provisioning_url: str
    created_at: datetime
    expires_at: datetime
    ca_fingerprint: str  # SHA-256 of the platform CA certificate, hex
    signer_key_id: str  # hex
    ward: str | None
    serial: str | None  # console key mode: the certificate issued at once
    qr_text: str = field(repr=False)
    pairing_code: str = field(repr=False)

    @property
    def display_code(self) -> str:
        """The code as shown beside the QR: ``1234 5678``."""
        return protocol.format_pairing_code(self.pairing_code)

    def as_json(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id, "pairing_code": self.pairing_code, "expires_at": self.expires_at.isoformat(),
            "key_mode": key_mode_name(self.key_mode), "provisioning_url": self.provisioning_url,
            "ca_fingerprint": self.ca_fingerprint, "signer_key_id": self.signer_key_id, "ward": self.ward,
            "serial": self.serial, "qr_text": self.qr_text, "pairing_id": self.pairing_id,
            "created_at": self.created_at.isoformat(),
        }


def key_mode_name(mode: KeyMode) -> str:
    return "device-key" if mode is KeyMode.DEVICE_KEY else "console-key"


def prepare(
    store: Store,
    ca: UnlockedCa,
    device_id: str,
    *,
    console_key: bool = False,
    url: str | None = None,
    ttl: int | None = None,
    ward: str | None = None,
    key_type: str = "ec-p256",
    settings: Settings | None = None,
    now: datetime | None = None,
    actor: str | None = None,
) -> Ticket:
    """Create a pairing for ``device_id``: token, 8-digit code, signed QR text; any earlier pending one ends.

    ``url`` is the provisioning URL (default: the ``provisioning-url`` setting), ``ttl`` the token's life in
    seconds (default: ``pairing-ttl-seconds``, 1800). In console key mode the certificate is issued now with
    a key generated here, and the key is kept only sealed under the code's ``enc_key``. A device that
    already has an active certificate is refused: revoke it first.
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    _check_id(device_id, settings)
    provisioning_url = protocol.check_provisioning_url(url or settings.provisioning_url)
    lifetime = settings.pairing_ttl_seconds if ttl is None else ttl
    if not 1 <= lifetime <= MAX_TTL_SECONDS:
        raise InputError(f"The pairing code's lifetime must be between 1 and {MAX_TTL_SECONDS} seconds, not "
                         f"{lifetime}: the default is 1800 (30 minutes).")
    if console_key and key_type not in keys.LEAF_KEY_TYPES:
        raise InputError(f"The key type must be one of {', '.join(keys.LEAF_KEY_TYPES)}, not {key_type!r}.")
    ward = device_text.ward(ward)
    expires_at = now + timedelta(seconds=lifetime)
    mode = KeyMode.CONSOLE_KEY if console_key else KeyMode.DEVICE_KEY
    with store.write() as conn:
        pairable(conn, device_id, settings, now).raise_refusal()
        _end_pending(conn, device_id, now, actor)
        if ward is None:
            ward = conn.execute(select(schema.devices.c.ward)
                                .where(schema.devices.c.device_id == device_id)).scalar_one_or_none()
    signer = ensure_signer(store, ca, settings=settings, now=now, actor=actor)
    token, code = protocol.new_token(), protocol.new_pairing_code()
    code_keys = protocol.derive_code_keys(token, device_id, code)
    issued: issuance.Issued | None = None
    sealed: bytes | None = None
    if console_key:
        issued = issuance.issue_device(store, ca, device_id, generate=key_type, ward=ward, settings=settings, now=now,
                                       actor=actor, made_by="paired")
        assert issued.private_key is not None
        sealed = protocol.seal_key(code_keys.enc_key, keys.plain_pkcs8(issued.private_key), token=token,
                                   device_id=device_id)
    try:
        qr_text = protocol.build_payload(
            device_id=device_id, provisioning_url=provisioning_url, token=token, expires_at=expires_at,
            ca_fingerprint=protocol.certificate_fingerprint(ca.certificate), key_mode=mode, signer_key=signer.key)
        with store.write() as conn:
            _end_pending(conn, device_id, now, actor)  # a pairing prepared meanwhile by another console
            pairing_id = int(conn.execute(_p.insert().values(
                token_sha256=hashlib.sha256(token).hexdigest(), device_id=device_id, key_mode=int(mode), state=ACTIVE,
                created_at=utc.to_epoch(now), expires_at=utc.to_epoch(expires_at), failures=0,
                provisioning_url=provisioning_url,
                ward=ward, signer_key_id=signer.key_id.hex(), auth_key=code_keys.auth_key, sealed_key=sealed,
                certificate_id=None if issued is None else issued.record_id,
            )).inserted_primary_key[0])  # type: ignore[index]
            audit.append(conn, "pairing.prepared", device_id, {
                "pairing": pairing_id, "key_mode": key_mode_name(mode), "expires_at": expires_at.isoformat(),
                "provisioning_url": provisioning_url, "token_id": token_id(token),
                **({"serial": issued.serial} if issued else {}),
            }, actor=actor, now=now)
    except BaseException:
        if issued is not None:  # nobody can ever receive its key: do not leave it valid
            with store.write() as conn:
                _revoke_undelivered(conn, issued.record_id, "pairing could not be prepared", now, actor)
        raise
    return Ticket(pairing_id, device_id, mode, provisioning_url, now, expires_at, ca.info.fingerprint,
                  signer.key_id.hex(), ward, None if issued is None else issued.serial, qr_text, code)


def cancel(store: Store, device_id: str, *, now: datetime | None = None, actor: str | None = None) -> bool:
    """End the device's pending pairing (the operator closed it); False if none was pending."""
    now = utc.now(now)
    with store.write() as conn:
        return _end_pending(conn, device_id, now, actor, state=CANCELLED, why="cancelled on the console") > 0


def expire_due(store: Store, *, now: datetime | None = None) -> int:
    """Housekeeping the service runs now and then: end expired tokens and drop what only retries needed.

    Returns how many pending pairings expired. Deletes verifiers, sealed keys and kept responses of tokens
    past their expiry (section 7.1), and revokes console-made certificates that were never delivered.
    """
    now = utc.now(now)
    stale = utc.to_epoch(now - ISSUING_TIMEOUT)
    with store.write() as conn:
        due = conn.execute(select(_p).where(and_(_p.c.expires_at <= utc.to_epoch(now), or_(
            _p.c.state == ACTIVE, and_(_p.c.state == ISSUING, _p.c.claimed_at <= stale))))).all()
        for row in due:
            end_token(conn, row, EXPIRED, now, None, why="expired before the device used it")
        conn.execute(update(_p).where(and_(_p.c.state == USED, _p.c.expires_at <= utc.to_epoch(now),
                                           or_(_p.c.auth_key.is_not(None), _p.c.response.is_not(None))))
                     .values(auth_key=None, sealed_key=None, response=None, response_signature=None))
    return len(due)


def _end_pending(conn: Connection, device_id: str, now: datetime, actor: str | None, *, state: str = CANCELLED,
                 why: str = "replaced by a new pairing") -> int:
    rows = conn.execute(select(_p).where(and_(_p.c.device_id == device_id, _p.c.state == ACTIVE))).all()
    for row in rows:
        expired = row.expires_at <= utc.to_epoch(now)
        end_token(conn, row, EXPIRED if expired else state, now, actor,
                  why="expired before the device used it" if expired else why)
    return len(rows)


def end_token(conn: Connection, row: schema.Row, state: str, now: datetime, actor: str | None, *, why: str,
              source: str = "") -> None:
    """End a token that was not used (inside the caller's write transaction): forget its secrets, revoke a
    certificate made for it that was never delivered, and audit ``pairing.<state>``."""
    conn.execute(update(_p).where(_p.c.id == row.id).values(
        state=state, finished_at=utc.to_epoch(now), auth_key=None, sealed_key=None, response=None,
        response_signature=None))
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


# --- what the console shows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairingStatus:
    """Where a pairing stands, for the console's live view."""

    pairing_id: int
    device_id: str
    key_mode: KeyMode
    state: str  # ACTIVE, ISSUING, USED, BURNED, EXPIRED or CANCELLED, with expiry already applied
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None
    failures: int
    serial: str | None

    @property
    def outcome(self) -> str:
        """``pending``, ``paired`` or ``failed``."""
        return {ACTIVE: "pending", ISSUING: "pending", USED: "paired"}.get(self.state, "failed")

    @property
    def reason(self) -> str | None:
        """Why it failed, in words (None unless failed)."""
        return {BURNED: f"{MAX_CODE_ATTEMPTS} wrong pairing codes", EXPIRED: "the pairing code expired",
                CANCELLED: "cancelled or replaced on the console"}.get(self.state)

    @property
    def remaining_attempts(self) -> int:
        return max(0, MAX_CODE_ATTEMPTS - self.failures) if self.outcome == "pending" else 0

    @property
    def label(self) -> str:
        """``pairing pending``, ``paired`` or ``failed: <reason>``."""
        if self.outcome == "pending":
            return "pairing pending"
        return "paired" if self.outcome == "paired" else f"failed: {self.reason}"

    def as_json(self) -> dict[str, Any]:
        return {"pairing_id": self.pairing_id, "device_id": self.device_id, "key_mode": key_mode_name(self.key_mode),
                "state": self.state, "outcome": self.outcome, "label": self.label,
                "created_at": self.created_at.isoformat(), "expires_at": self.expires_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "failures": self.failures, "remaining_attempts": self.remaining_attempts, "serial": self.serial}


_STATUS_QUERY = (select(_p.c.id, _p.c.device_id, _p.c.key_mode, _p.c.state, _p.c.created_at, _p.c.expires_at,
                        _p.c.finished_at, _p.c.failures, _p.c.claimed_at, _c.c.serial)
                 .select_from(_p.outerjoin(_c, _c.c.id == _p.c.certificate_id)))


def _status(row: schema.Row, now: datetime) -> PairingStatus:
    state = row.state
    if state == ACTIVE and row.expires_at <= utc.to_epoch(now):
        state = EXPIRED
    elif (state == ISSUING and row.claimed_at <= utc.to_epoch(now - ISSUING_TIMEOUT)
          and row.expires_at <= utc.to_epoch(now)):
        state = EXPIRED
    finished = row.finished_at if row.finished_at is not None else (row.expires_at if state == EXPIRED else None)
    return PairingStatus(row.id, row.device_id, KeyMode(row.key_mode), state, utc.from_epoch(row.created_at),
                         utc.from_epoch(row.expires_at), None if finished is None else utc.from_epoch(finished),
                         row.failures, row.serial)


def status(store: Store, device_id: str, *, now: datetime | None = None) -> PairingStatus | None:
    """The device's most recent pairing, or None if it was never paired this way. Read-only; cheap to poll."""
    now = utc.now(now)
    with store.read() as conn:
        row = conn.execute(_latest(device_id)).first()
    return None if row is None else _status(row, now)


def _latest(device_id: str) -> Select[Any]:
    return _STATUS_QUERY.where(_p.c.device_id == device_id).order_by(_p.c.created_at.desc(), _p.c.id.desc()).limit(1)


def status_of(store: Store, pairing_id: int, *, now: datetime | None = None) -> PairingStatus | None:
    """One pairing by its ``Ticket.pairing_id`` (it stays ``failed`` once a newer pairing replaced it)."""
    now = utc.now(now)
    with store.read() as conn:
        row = conn.execute(_STATUS_QUERY.where(_p.c.id == pairing_id)).first()
    return None if row is None else _status(row, now)


def list_pending(store: Store, *, now: datetime | None = None) -> list[PairingStatus]:
    """Pairings still waiting for their device, soonest expiry first."""
    now = utc.now(now)
    with store.read() as conn:
        rows = conn.execute(_STATUS_QUERY.where(and_(_p.c.state.in_([ACTIVE, ISSUING]),
                                                     _p.c.expires_at > utc.to_epoch(now)))
                            .order_by(_p.c.expires_at, _p.c.id)).all()
    return [_status(row, now) for row in rows]


def token_id(token: bytes) -> str:
    """A short public handle for a token in the audit trail: the start of SHA-256(token), never the token."""
    return hashlib.sha256(token).hexdigest()[:16]


