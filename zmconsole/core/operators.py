"""Operators: the people who sign in, their roles, their passwords, and the pairing signer each one holds.

A password is kept only as the output of scrypt (memory-hard, RFC 7914) with its parameters in the row, so
they can be raised later without breaking old rows. One derivation gives 64 bytes: the first half is
stored and compared at sign-in; the second half, never stored, seals the operator's own pairing signer key
(AES-256-GCM). So a ``pairing`` operator signs QR codes with a key only their password opens, and holds no
key that can sign a certificate or a CRL; the signer's certificate is issued by the CA when an admin adds
the operator. Disabling an operator revokes that certificate, so the QR codes they prepared and that were
not used yet die with it (the service no longer hands out the signer, and their pending pairings end).

Wrong passwords are audited, slowed down, and counted in the operator's row, so separate command-line
processes share the limit: after :data:`FREE_ATTEMPTS` wrong passwords in a row, sign-in waits for a
doubling back-off before it even checks the password. A store without operators is a single-person site and
works as before (``roles``).
"""

from __future__ import annotations

import hmac
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Connection, and_, func, select, update

from zmconsole.core import audit, profiles, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ConflictError, InputError, NotFoundError, WrongPassphraseError
from zmconsole.core.keys import plain_pkcs8
from zmconsole.core.pairing import protocol, state
from zmconsole.core.pairing.signer import OPERATOR_SIGNER_KIND, SIGNER_COMMON_NAME, Signer, certify
from zmconsole.core.roles import Operation, Role, allows, require
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

#: scrypt's cost: 2^15 x 8 x 128 bytes = 32 MiB of memory per derivation (OWASP's minimum is 2^17 x 8 x 1 / 5).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD = 10
MAX_NAME = 32  # the signer certificate's CN, "Z Monitor pairing signer: NAME", stays within 64
FREE_ATTEMPTS = 3  # wrong passwords in a row before the back-off starts
BACKOFF = timedelta(seconds=30)  # after FREE_ATTEMPTS, doubled at each further wrong password ...
MAX_BACKOFF = timedelta(minutes=15)  # ... up to this
WRONG_PASSWORD_DELAY = 1.0  # seconds every wrong password costs the caller, on top of the KDF
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_KDF = "scrypt"
_NONCE = 12

_o = schema.operators
_c = schema.certificates


@dataclass(frozen=True)
class Operator:
    """A signed-in operator: what the console holds from sign-in to sign-out (or its idle lock).

    ``signer`` is the operator's pairing signer, opened with their password; None if it was revoked.
    """

    name: str
    role: Role
    signer: Signer | None = field(default=None, repr=False)

    def may(self, operation: Operation) -> bool:
        """Whether the role allows ``operation`` (by the table alone; the core checks the store again)."""
        return allows(self.role, operation)


@dataclass(frozen=True)
class OperatorInfo:
    """One operator as ``operator list`` and the console's operator page show them."""

    name: str
    role: Role
    disabled: bool
    created_at: datetime
    disabled_at: datetime | None
    password_changed_at: datetime
    signer_serial: str | None
    failed_attempts: int

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role.value, "disabled": self.disabled,
                "created_at": self.created_at.isoformat(),
                "disabled_at": None if self.disabled_at is None else self.disabled_at.isoformat(),
                "password_changed_at": self.password_changed_at.isoformat(), "signer_serial": self.signer_serial,
                "failed_attempts": self.failed_attempts}


class SignInThrottled(WrongPassphraseError):
    """Too many wrong passwords in a row: sign-in waits ``retry_after`` before checking another one."""

    def __init__(self, message: str, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# --- names, passwords and the KDF -------------------------------------------------------------------------


def check_name(name: str) -> str:
    """An operator name: lower-case letters, digits, dot, dash, underscore; at most 32 characters."""
    if not (1 <= len(name) <= MAX_NAME and _NAME.match(name)):
        raise InputError(f"The operator name {name[:40]!r} is not allowed: use 1 to {MAX_NAME} lower-case letters, "
                         "digits, '.', '-' or '_', starting with a letter or digit (for example j.smith).")
    return name


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"The password is too short ({len(password)} characters): use at least {MIN_PASSWORD}, "
                         "ideally a phrase of several words.")


@dataclass(frozen=True)
class _Derived:
    verifier: bytes = field(repr=False)  # stored
    seal_key: bytes = field(repr=False)  # never stored


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> _Derived:
    out = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(password.encode("utf-8"))
    return _Derived(out[:32], out[32:])


def _kdf_row(password: str) -> tuple[dict[str, Any], _Derived]:
    salt = os.urandom(16)
    derived = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {"kdf": _KDF, "kdf_n": SCRYPT_N, "kdf_r": SCRYPT_R, "kdf_p": SCRYPT_P, "salt": salt,
            "password_hash": derived.verifier}, derived


def _seal(key: ec.EllipticCurvePrivateKey, seal_key: bytes, name: str, serial: str) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(seal_key).encrypt(nonce, plain_pkcs8(key), _label(name, serial))


def _label(name: str, serial: str) -> bytes:
    return f"zmconsole operator signer v1\0{name}\0{serial}".encode()


def _unseal(blob: bytes, seal_key: bytes, name: str, serial: str) -> ec.EllipticCurvePrivateKey:
    try:
        der = AESGCM(seal_key).decrypt(blob[:_NONCE], blob[_NONCE:], _label(name, serial))
    except InvalidTag as error:
        raise InputError(f"The pairing signer of {name} does not open: the store was altered; an admin can set a "
                         f"new password with `operator password {name}`, which issues a new signer.") from error
    key = serialization.load_der_private_key(der, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


# --- adding operators and their signers -------------------------------------------------------------------


def _new_signer(conn: Connection, ca: UnlockedCa, name: str, seal_key: bytes, settings: Settings, now: datetime
                ) -> tuple[int, bytes, str]:
    """Issue the operator's pairing signer; returns (certificate id, sealed key, serial)."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert, record_id = certify(conn, ca, key, settings, now, kind=OPERATOR_SIGNER_KIND,
                              common_name=f"{SIGNER_COMMON_NAME}: {name}")
    serial = profiles.serial_hex(cert.serial_number)
    audit.append(conn, "pairing.signer_issued", name,
                 {"serial": serial, "key_id": protocol.signer_key_id(key.public_key()).hex(), "operator": name,
                  "not_after": cert.not_valid_after_utc.isoformat()}, now=now)
    return record_id, _seal(key, seal_key, name, serial), serial


def add(store: Store, ca: UnlockedCa, name: str, role: Role | str, password: str, *,
        now: datetime | None = None) -> OperatorInfo:
    """Add an operator with a role and a password, and issue their pairing signer with the unlocked CA.

    Needs an admin signed in; the store's first operator needs nobody and must be an admin (someone has to be
    able to manage the others). The password is kept only as the scrypt output.
    """
    check_name(name)
    try:
        role = Role(role)
    except ValueError:
        raise InputError(f"Unknown role {role!r}: use pairing, officer or admin.") from None
    check_new_password(password)
    require(store, Operation.OPERATORS_MANAGE, name)
    now = utc.now(now)
    kdf, derived = _kdf_row(password)  # before the write lock: the KDF is slow on purpose
    settings = load_settings(store)
    with store.write() as conn:
        if conn.execute(select(_o.c.name).where(_o.c.name == name)).first() is not None:
            raise ConflictError(f"An operator named {name} already exists: choose another name (a disabled "
                                "operator's name is not reused, so the audit log stays unambiguous).")
        first = conn.execute(select(func.count()).select_from(_o)).scalar_one() == 0
        if first and role is not Role.ADMIN:
            raise ConflictError(f"The first operator must be an admin, not {role}: add an admin first (for example "
                                "with `ca init --admin NAME`), then the others.")
        certificate_id, sealed, serial = _new_signer(conn, ca, name, derived.seal_key, settings, now)
        conn.execute(_o.insert().values(name=name, role=role.value, created_at=utc.to_epoch(now),
                                        password_changed_at=utc.to_epoch(now), signer_certificate_id=certificate_id,
                                        signer_sealed=sealed, failed_attempts=0, **kdf))
        audit.append(conn, "operator.added", name, {"role": role.value, "signer_serial": serial,
                                                    "first": first}, now=now)
    return info(store, name, check=False)


def create_first_admin(store: Store, ca: UnlockedCa, name: str, password: str, *,
                       now: datetime | None = None) -> OperatorInfo:
    """The first admin, made with the CA (``ca init --admin`` and the first-run wizard), and signed in."""
    made = add(store, ca, name, Role.ADMIN, password, now=now)
    sign_in(store, name, password, now=now)
    return made


# --- reading ----------------------------------------------------------------------------------------------


def _info(row: schema.Row) -> OperatorInfo:
    return OperatorInfo(row.name, Role(row.role), row.disabled_at is not None, utc.from_epoch(row.created_at),
                        None if row.disabled_at is None else utc.from_epoch(row.disabled_at),
                        utc.from_epoch(row.password_changed_at), row.serial, row.failed_attempts)


def _with_serial() -> Any:
    return (select(_o, _c.c.serial).select_from(_o.outerjoin(_c, _c.c.id == _o.c.signer_certificate_id)))


def list_operators(store: Store) -> list[OperatorInfo]:
    """Every operator, disabled ones too, by name (admins only, once the store has operators)."""
    require(store, Operation.OPERATORS_MANAGE)
    with store.read() as conn:
        return [_info(row) for row in conn.execute(_with_serial().order_by(_o.c.name))]


def info(store: Store, name: str, *, check: bool = True) -> OperatorInfo:
    if check:
        require(store, Operation.OPERATORS_MANAGE, name)
    with store.read() as conn:
        row = conn.execute(_with_serial().where(_o.c.name == name)).first()
    if row is None:
        raise NotFoundError(f"No operator is named {name!r}: `operator list` shows them.")
    return _info(row)


# --- signing in -------------------------------------------------------------------------------------------


def _backoff(failed: int) -> timedelta:
    if failed < FREE_ATTEMPTS:
        return timedelta(0)
    doubled: timedelta = BACKOFF * 2 ** min(failed - FREE_ATTEMPTS, 10)
    return min(doubled, MAX_BACKOFF)


def sign_in(store: Store, name: str, password: str, *, now: datetime | None = None, record: bool = False,
            sleep: Callable[[float], None] = time.sleep) -> Operator:
    """Check ``name``'s password and sign them in on ``store`` (``store.operator``); returns the operator.

    A wrong password is audited (``operator.password_wrong``), counted in the operator's row, and costs the
    caller :data:`WRONG_PASSWORD_DELAY` seconds (``sleep``); after :data:`FREE_ATTEMPTS` in a row, sign-in is
    refused without checking until the back-off has passed (:class:`SignInThrottled`). A disabled or unknown
    operator is refused the same way as a wrong password. ``record`` audits a successful sign-in (the
    console does; the command line's every entry names the operator anyway).
    """
    now = utc.now(now)
    with store.read() as conn:
        row = conn.execute(select(_o, _c.c.serial, _c.c.der, _c.c.revoked_at, _c.c.ca_id)
                           .select_from(_o.outerjoin(_c, _c.c.id == _o.c.signer_certificate_id))
                           .where(_o.c.name == name)).first()
    if row is None or row.disabled_at is not None:
        why = "unknown" if row is None else "disabled"
        audit.record(store, "operator.sign_in_refused", name[:64], {"why": why}, now=now)
        sleep(WRONG_PASSWORD_DELAY)
        raise WrongPassphraseError(f"The operator {name} cannot sign in: the name is unknown, the operator is "
                                   "disabled, or the password is wrong.")
    wait = utc.from_epoch(row.last_failed_at or 0) + _backoff(row.failed_attempts) - now
    if wait > timedelta(0):
        audit.record(store, "operator.sign_in_throttled", name, {"failed_attempts": row.failed_attempts}, now=now)
        raise SignInThrottled(f"Too many wrong passwords for {name} ({row.failed_attempts} in a row): try again in "
                              f"{int(wait.total_seconds()) + 1} seconds.", wait)
    derived = _derive(password, row.salt, row.kdf_n, row.kdf_r, row.kdf_p)
    if not hmac.compare_digest(derived.verifier, row.password_hash):
        with store.write() as conn:
            conn.execute(update(_o).where(_o.c.name == name).values(
                failed_attempts=_o.c.failed_attempts + 1, last_failed_at=utc.to_epoch(now)))
            audit.append(conn, "operator.password_wrong", name, {"failed_attempts": row.failed_attempts + 1},
                         now=now)
        sleep(WRONG_PASSWORD_DELAY)
        raise WrongPassphraseError(f"The operator {name} cannot sign in: the name is unknown, the operator is "
                                   "disabled, or the password is wrong.")
    signer = None
    if row.signer_sealed is not None and row.revoked_at is None and row.der is not None:
        with store.read() as conn:
            issuer = conn.execute(select(schema.cas.c.cert_der, schema.cas.c.parent_der)
                                  .where(schema.cas.c.id == row.ca_id)).one()
        signer = Signer(_unseal(row.signer_sealed, derived.seal_key, name, row.serial),
                        x509.load_der_x509_certificate(row.der), x509.load_der_x509_certificate(issuer.cert_der),
                        row.serial, None if issuer.parent_der is None else
                        x509.load_der_x509_certificate(issuer.parent_der))
    operator = Operator(name, Role(row.role), signer)
    store.operator = operator
    if row.failed_attempts or record:
        with store.write() as conn:
            if row.failed_attempts:
                conn.execute(update(_o).where(_o.c.name == name).values(failed_attempts=0))
            if record:
                audit.append(conn, "operator.signed_in", name, {"role": row.role}, now=now)
    return operator


def sign_out(store: Store, *, record: bool = False, now: datetime | None = None) -> None:
    """Forget the signed-in operator (the console's sign-out and idle lock); their signer key goes with it."""
    operator = store.operator
    if operator is not None and record:
        audit.record(store, "operator.signed_out", operator.name, now=now)
    store.operator = None


# --- changing operators -----------------------------------------------------------------------------------


def _enabled_admins(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(_o).where(
        and_(_o.c.role == Role.ADMIN.value, _o.c.disabled_at.is_(None)))).scalar_one())


def disable(store: Store, name: str, *, now: datetime | None = None) -> OperatorInfo:
    """Disable an operator for good: they can no longer sign in, their pairing signer is revoked, and the
    pairings they prepared that are still pending end now (their QR codes no longer verify on a device).

    The revocation is recorded at once; the CA key holder (the provisioning service) puts it on the next CRL.
    The last enabled admin cannot be disabled.
    """
    require(store, Operation.OPERATORS_MANAGE, name)
    now = utc.now(now)
    with store.write() as conn:
        row = conn.execute(_with_serial().where(_o.c.name == name)).first()
        if row is None:
            raise NotFoundError(f"No operator is named {name!r}: `operator list` shows them.")
        if row.disabled_at is not None:
            raise ConflictError(f"The operator {name} is already disabled: nothing to do.")
        if row.role == Role.ADMIN.value and _enabled_admins(conn) <= 1:
            raise ConflictError(f"{name} is the last enabled admin: add another admin before disabling this one, "
                                "or nobody could manage operators any more.")
        ended = _revoke_signer(conn, row, now, why=f"the operator {name} was disabled")
        conn.execute(update(_o).where(_o.c.name == name).values(disabled_at=utc.to_epoch(now), signer_sealed=None))
        audit.append(conn, "operator.disabled", name, {"role": row.role, "signer_serial": row.serial,
                                                       "pairings_ended": ended}, now=now)
    if store.operator is not None and store.operator.name == name:
        store.operator = None
    return info(store, name, check=False)


def _revoke_signer(conn: Connection, row: schema.Row, now: datetime, *, why: str) -> int:
    """Revoke the operator's signer certificate and end the pending pairings it signed; returns how many."""
    if row.signer_certificate_id is None:
        return 0
    der = conn.execute(select(_c.c.der, _c.c.revoked_at).where(_c.c.id == row.signer_certificate_id)).first()
    if der is None or der.revoked_at is not None:
        return 0
    conn.execute(update(_c).where(_c.c.id == row.signer_certificate_id).values(
        revoked_at=utc.to_epoch(now), revocation_reason="decommissioned"))
    audit.append(conn, "cert.revoked", f"{SIGNER_COMMON_NAME}: {row.name}",
                 {"serials": [row.serial], "reason": "decommissioned", "rfc5280": "cessation_of_operation",
                  "crl": "pending"}, now=now)
    public = x509.load_der_x509_certificate(der.der).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    key_id = protocol.signer_key_id(public).hex()
    p = schema.pairings
    pending = conn.execute(select(p).where(and_(p.c.signer_key_id == key_id, p.c.state.in_(state.PENDING)))).all()
    for pairing in pending:
        state.cancel(conn, pairing, now, why=why)
    return len(pending)


def set_password(store: Store, name: str, password: str, *, ca: UnlockedCa | None = None,
                 now: datetime | None = None) -> OperatorInfo:
    """Give ``name`` a new password.

    Signed in as ``name`` (any role), the pairing signer the operator holds is sealed again under the new
    password. An admin setting another operator's password cannot open that signer, so it is revoked and a
    new one issued: that needs the unlocked CA (``ca``), and the QR codes the old signer made stop working.
    Either way the wrong-password count starts again.
    """
    check_new_password(password)
    own = store.operator is not None and store.operator.name == name
    if not own:
        require(store, Operation.OPERATORS_MANAGE, name)
    now = utc.now(now)
    current = info(store, name, check=False)
    if current.disabled:
        raise ConflictError(f"The operator {name} is disabled: a disabled operator cannot be given a password; "
                            "add a new operator instead.")
    signer = store.operator.signer if own and store.operator is not None else None
    if not own and ca is None:
        raise ConflictError(f"Setting another operator's password issues them a new pairing signer: unlock the CA "
                            f"to set the password of {name}.")
    kdf, derived = _kdf_row(password)
    settings = load_settings(store)
    with store.write() as conn:
        row = conn.execute(_with_serial().where(_o.c.name == name)).first()
        assert row is not None
        values: dict[str, Any] = {"password_changed_at": utc.to_epoch(now), "failed_attempts": 0,
                                  "last_failed_at": None, **kdf}
        if signer is not None:
            values["signer_sealed"] = _seal(signer.key, derived.seal_key, name, signer.serial)
        else:
            assert ca is not None or row.signer_certificate_id is None
            _revoke_signer(conn, row, now, why=f"the operator {name} was given a new password")
            if ca is not None:
                values["signer_certificate_id"], values["signer_sealed"], _ = _new_signer(
                    conn, ca, name, derived.seal_key, settings, now)
        conn.execute(update(_o).where(_o.c.name == name).values(**values))
        audit.append(conn, "operator.password_changed", name, {"by": "self" if own else "admin",
                                                               "new_signer": signer is None}, now=now)
    if own:
        sign_in(store, name, password, now=now)  # the new signer or sealing, opened the way it will be
    return info(store, name, check=False)


def signer_of(store: Store) -> Signer | None:
    """The pairing signer of the operator signed in on ``store`` (None: nobody, or theirs was revoked)."""
    return None if store.operator is None else store.operator.signer
