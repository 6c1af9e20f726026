"""The console's side of pairing: can a device be paired, prepare a pairing, follow it, cancel it.

``protocol`` is the pure protocol and ``state`` the one writer of pairing rows; this module decides what the
console asks for and shows. The store holds, per token, only ``SHA-256(token)``, the device ID, the key mode,
the expiry, the code verifier (``auth_key``), a failure count and a state: never the token or the code, which
exist only in the :class:`Ticket` that :func:`prepare` returns to the person at the console. The verifier is
deleted when the token is used; a used device-key token keeps only the CSR's hash and the response (a public
certificate) until it expires, for idempotent retries (``answers``).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import Connection, Select, and_, select

from zmconsole.core import audit, device_text, issuance, keys, policy, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ConflictError, InputError, ZmError
from zmconsole.core.pairing import protocol, state
from zmconsole.core.pairing.protocol import MAX_CODE_ATTEMPTS, KeyMode
from zmconsole.core.pairing.signer import Signer, signer_in
from zmconsole.core.pairing.state import PENDING, PairingState
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import PAIRING_TTL_MAX, Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

MAX_TTL_SECONDS = PAIRING_TTL_MAX  # the settings table's cap (24 hours) holds for a --ttl given per code too

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
    latest = conn.execute(_latest(device_id, now)).first()
    pending = None if latest is None else _status(latest)
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
    ca_fingerprint: str  # SHA-256 of the certificate devices pin (the root above an issuing CA), hex
    signer_key_id: str  # hex
    ward: str | None
    serial: str | None  # console key mode with the CA unlocked: the certificate issued at once
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
    ca: UnlockedCa | None,
    device_id: str,
    *,
    signer: Signer | None = None,
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
    seconds (default: ``pairing-ttl-seconds``, 1800). In console key mode the key is generated here and kept
    only sealed under the code's ``enc_key``; with the CA unlocked (``ca``) its certificate is issued now,
    without it (a ``pairing`` operator, who holds no key that signs certificates) the pairing keeps a CSR signed
    by that key, and the key holder issues from it when the device pulls its bundle. ``signer`` is the
    signed-in operator's own pairing signer (``operators.Operator.signer``): with it, a device-key pairing
    needs no CA key at all (``ca`` may be None), and the QR names that operator's signer. A device that
    :func:`can_pair` refuses is refused with its reason. Everything happens in one write transaction: a
    failure leaves no pairing, no certificate and no ended predecessor behind.
    """
    require_role(store, Operation.PAIRING_PREPARE, device_id)
    if console_key and ca is not None:  # issued now, from the console; otherwise by the key holder at pull time
        require_role(store, Operation.DEVICE_ISSUE, device_id)
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
    if ca is None and signer is None:
        raise ConflictError("Preparing a pairing needs a pairing signer: sign in as an operator, or unlock the CA.")
    token, code = protocol.new_token(), protocol.new_pairing_code()
    code_keys = protocol.derive_code_keys(token, device_id, code)  # scrypt: before the write lock, not in it
    mode = KeyMode.CONSOLE_KEY if console_key else KeyMode.DEVICE_KEY
    with store.write() as conn:
        pairable(conn, device_id, settings, now).raise_refusal()
        _end_pending(conn, device_id, now, actor, why="replaced by a new pairing")
        ward = ward or conn.execute(select(schema.devices.c.ward).where(
            schema.devices.c.device_id == device_id)).scalar_one_or_none()
        if signer is None:
            assert ca is not None
            signer = signer_in(conn, ca, settings, now, actor)
        issued = None if not console_key or ca is None else issuance.issue_device(
            store, ca, device_id, generate=key_type, ward=ward, settings=settings, now=now, actor=actor,
            made_by="paired", conn=conn)
        draft = _Draft(device_id, mode, provisioning_url, now, now + timedelta(seconds=lifetime), ward, token, code,
                       code_keys)
        if console_key and issued is None:
            return _open(conn, signer, draft, _Deferred.generate(device_id, key_type), actor)
        return _open(conn, signer, draft, issued, actor)


@dataclass(frozen=True)
class _Draft:
    device_id: str
    key_mode: KeyMode
    provisioning_url: str
    created_at: datetime
    expires_at: datetime
    ward: str | None
    token: bytes = field(repr=False)
    code: str = field(repr=False)
    code_keys: protocol.CodeKeys = field(repr=False)


@dataclass(frozen=True)
class _Deferred:
    """A console-made key whose certificate the key holder issues at pull time, from ``csr`` (DER, signed by
    the key: its public key and proof of possession; the private key itself goes into the row only sealed)."""

    private_key: keys.PrivateKey = field(repr=False)
    csr: bytes

    @classmethod
    def generate(cls, device_id: str, key_type: str) -> _Deferred:
        key = keys.generate(key_type)
        request = (x509.CertificateSigningRequestBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)]))
                   .sign(key, keys.signature_hash(key)))
        return cls(key, request.public_bytes(serialization.Encoding.DER))


def _open(conn: Connection, signer: Signer, draft: _Draft, issued: issuance.Issued | _Deferred | None,
          actor: str | None) -> Ticket:
    """Seal the key, sign the QR text and store the pairing (in ``prepare``'s transaction)."""
    sealed = None
    if issued is not None:
        assert issued.private_key is not None
        sealed = protocol.seal_key(draft.code_keys.enc_key, keys.plain_pkcs8(issued.private_key), token=draft.token,
                                   device_id=draft.device_id)
    certified = issued if isinstance(issued, issuance.Issued) else None
    qr_text = protocol.build_payload(
        device_id=draft.device_id, provisioning_url=draft.provisioning_url, token=draft.token,
        # The pin is the root in a hierarchy: a new issuing CA under it needs no new pairing.
        expires_at=draft.expires_at, ca_fingerprint=protocol.certificate_fingerprint(signer.anchor),
        key_mode=draft.key_mode, signer_key=signer.key)
    pairing_id = state.create(
        conn, token_sha256=hashlib.sha256(draft.token).hexdigest(), device_id=draft.device_id, key_mode=draft.key_mode,
        now=draft.created_at, expires_at=draft.expires_at, provisioning_url=draft.provisioning_url, ward=draft.ward,
        signer_key_id=signer.key_id.hex(), auth_key=draft.code_keys.auth_key, sealed_key=sealed,
        certificate_id=None if certified is None else certified.record_id,
        csr=issued.csr if isinstance(issued, _Deferred) else None)
    audit.append(conn, "pairing.prepared", draft.device_id, {
        "pairing": pairing_id, "key_mode": key_mode_name(draft.key_mode), "expires_at": draft.expires_at.isoformat(),
        "provisioning_url": draft.provisioning_url, "token_id": token_id(draft.token),
        "signer": signer.serial,
        **({"serial": certified.serial} if certified else {}),
        **({"issued_at": "pull"} if isinstance(issued, _Deferred) else {}),
    }, actor=actor, now=draft.created_at)
    return Ticket(pairing_id, draft.device_id, draft.key_mode, draft.provisioning_url, draft.created_at,
                  draft.expires_at, protocol.certificate_fingerprint(signer.anchor).hex(), signer.key_id.hex(),
                  draft.ward,
                  None if certified is None else certified.serial, qr_text, draft.code)


def cancel(store: Store, device_id: str, *, now: datetime | None = None, actor: str | None = None) -> bool:
    """End the device's pending pairing (the operator closed it); False if none was pending."""
    require_role(store, Operation.PAIRING_CANCEL, device_id)
    now = utc.now(now)
    with store.write() as conn:
        return _end_pending(conn, device_id, now, actor, why="cancelled on the console") > 0


def expire_due(store: Store, *, now: datetime | None = None) -> int:
    """Housekeeping the service runs now and then: end expired tokens and drop what only retries needed.

    Returns how many pending pairings expired. Deletes verifiers, sealed keys and kept responses of tokens
    past their expiry (section 7.1), and revokes console-made certificates that were never delivered.
    """
    now = utc.now(now)
    with store.write() as conn:
        due = conn.execute(select(_p).where(state.due_to_expire(now))).all()
        for row in due:
            state.expire(conn, row, now)
        state.forget_retry_data(conn, now)
    return len(due)


def _end_pending(conn: Connection, device_id: str, now: datetime, actor: str | None, *, why: str) -> int:
    """End the device's active pairings: expire those past expiry, cancel the others."""
    rows = conn.execute(select(_p, state.effective_state(now).label("due"))
                        .where(and_(_p.c.device_id == device_id, _p.c.state == PairingState.ACTIVE))).all()
    for row in rows:
        if row.due == PairingState.EXPIRED:
            state.expire(conn, row, now, actor=actor)
        else:
            state.cancel(conn, row, now, why=why, actor=actor)
    return len(rows)


# --- what the console shows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairingStatus:
    """Where a pairing stands, for the console's live view."""

    pairing_id: int
    device_id: str
    key_mode: KeyMode
    state: PairingState  # with what is due applied (expiry, a dead claim released)
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None
    failures: int
    serial: str | None

    @property
    def outcome(self) -> str:
        """``pending``, ``paired`` or ``failed``."""
        return "pending" if self.state in PENDING else "paired" if self.state is PairingState.USED else "failed"

    @property
    def reason(self) -> str | None:
        """Why it failed, in words (None unless failed)."""
        return {PairingState.BURNED: f"{MAX_CODE_ATTEMPTS} wrong pairing codes",
                PairingState.EXPIRED: "the pairing code expired",
                PairingState.CANCELLED: "cancelled or replaced on the console"}.get(self.state)

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


def _status_query(now: datetime) -> Select[Any]:
    return (select(_p.c.id, _p.c.device_id, _p.c.key_mode, state.effective_state(now).label("state"),
                   _p.c.created_at, _p.c.expires_at, _p.c.finished_at, _p.c.failures, _c.c.serial)
            .select_from(_p.outerjoin(_c, _c.c.id == _p.c.certificate_id)))


def _status(row: schema.Row) -> PairingStatus:
    current = PairingState(row.state)
    finished = row.finished_at if row.finished_at is not None else (
        row.expires_at if current is PairingState.EXPIRED else None)
    return PairingStatus(row.id, row.device_id, KeyMode(row.key_mode), current, utc.from_epoch(row.created_at),
                         utc.from_epoch(row.expires_at), None if finished is None else utc.from_epoch(finished),
                         row.failures, row.serial)


def status(store: Store, device_id: str, *, now: datetime | None = None) -> PairingStatus | None:
    """The device's most recent pairing, or None if it was never paired this way. Read-only; cheap to poll."""
    now = utc.now(now)
    with store.read() as conn:
        row = conn.execute(_latest(device_id, now)).first()
    return None if row is None else _status(row)


def _latest(device_id: str, now: datetime) -> Select[Any]:
    return (_status_query(now).where(_p.c.device_id == device_id)
            .order_by(_p.c.created_at.desc(), _p.c.id.desc()).limit(1))


def status_of(store: Store, pairing_id: int, *, now: datetime | None = None) -> PairingStatus | None:
    """One pairing by its ``Ticket.pairing_id`` (it stays ``failed`` once a newer pairing replaced it)."""
    now = utc.now(now)
    with store.read() as conn:
        row = conn.execute(_status_query(now).where(_p.c.id == pairing_id)).first()
    return None if row is None else _status(row)


def list_pending(store: Store, *, now: datetime | None = None) -> list[PairingStatus]:
    """Pairings still waiting for their device, soonest expiry first."""
    now = utc.now(now)
    with store.read() as conn:
        rows = conn.execute(_status_query(now).where(and_(_p.c.state.in_(PENDING),
                                                          _p.c.expires_at > utc.to_epoch(now)))
                            .order_by(_p.c.expires_at, _p.c.id)).all()
    return [_status(row) for row in rows]


def token_id(token: bytes) -> str:
    """A short public handle for a token in the audit trail: the start of SHA-256(token), never the token."""
    return hashlib.sha256(token).hexdigest()[:16]
