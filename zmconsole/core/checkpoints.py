"""Signed checkpoints of the audit chain, and the head's external record (issue 8 item 6).

The hash chain alone proves nothing to someone who can rewrite the whole database: they recompute it. A
checkpoint signs the chain's head (its sequence number and hash) and the number of the last CRL with a key
the store does not give away, so a rewritten chain no longer matches a signature nobody without the CA
passphrase can make.

The signing key is an Ed25519 key derived from the CA private key (:func:`.ca_secrets.secret_for`, like the
held-key seal; in the token for a token-held key): only a process that holds the unlocked CA can derive it,
and signing costs microseconds where a CA signature would cost milliseconds per issuance. The CA signs the
derived public key once per unlock (the "key certification"), so ``audit verify`` checks both with the CA
certificate and needs no passphrase.

A checkpoint is written in the same transaction as the audit entries it covers, whenever a process holding
the CA writes (the store's before-commit hook, armed by :func:`enable`). Entries written without the key
(``config set``, a wrong passphrase) stay unsigned until the next key holder writes, and ``audit verify``
lists them. After the commit the head also goes to an external record that a forger of the database does
not control: an append-only file in the data directory, the system log, or both (``ZMCONSOLE_AUDIT_RECORD``,
see :func:`record_targets`).
"""

from __future__ import annotations

import json
import logging
import os
import syslog
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Connection, bindparam, func, select

from zmconsole.core import ca_secrets, keys, schema, utc
from zmconsole.core.store import Store, audited_head, mark_audited

if TYPE_CHECKING:
    from zmconsole.core.ca import UnlockedCa

RECORD_FILE = "audit-heads.log"  # in the data directory; store.py refuses to treat a home holding it as new
RECORD_ENV = "ZMCONSOLE_AUDIT_RECORD"
_KEY_LABEL = b"zmconsole audit checkpoint key v1\0"
_PAYLOAD_LABEL = "zmconsole audit checkpoint v1"
_ROW_ID = 1  # one row: the newest checkpoint covers every entry before it through the chain
_TAIL_BYTES = 4096
_log = logging.getLogger(__name__)

_LAST_ENTRY = (select(schema.audit_log.c.seq, schema.audit_log.c.hash)
               .order_by(schema.audit_log.c.seq.desc()).limit(1))
_LAST_CRL_NUMBER = select(func.coalesce(func.max(schema.crls.c.number), 0))
_READ = select(schema.audit_checkpoints).where(schema.audit_checkpoints.c.id == _ROW_ID)
# Built once with bound parameters: a statement built per call costs more than executing it (issuance runs
# this once per certificate).
_COLUMNS = ("seq", "head", "at", "crl_number", "ca_fingerprint", "key_public", "key_certification", "signature")
_UPDATE = (schema.audit_checkpoints.update().where(schema.audit_checkpoints.c.id == _ROW_ID)
           .values({name: bindparam(f"v_{name}") for name in _COLUMNS}))
_INSERT = schema.audit_checkpoints.insert()


def _ca_sign(key: keys.PrivateKey, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), keys.signature_hash(key))
    return key.sign(data, ec.ECDSA(keys.signature_hash(key)))


def _ca_verifies(cert: x509.Certificate, signature: bytes, data: bytes) -> bool:
    public = cert.public_key()
    try:
        if isinstance(public, rsa.RSAPublicKey):
            public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public, ec.EllipticCurvePublicKey):  # the digest keys.signature_hash picks
            digest = hashes.SHA384() if public.curve.key_size >= 384 else hashes.SHA256()
            public.verify(signature, data, ec.ECDSA(digest))
        else:
            return False
    except InvalidSignature:
        return False
    return True


class Signer:
    """The checkpoint key of one unlocked CA: derived once, certified by the CA once."""

    def __init__(self, ca_key: keys.PrivateKey, fingerprint: str) -> None:
        seed = ca_secrets.secret_for(ca_key, ca_secrets.AUDIT_CHECKPOINT)
        self._key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
        self.fingerprint = fingerprint
        self._ca_key = ca_key

    @cached_property
    def public(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @cached_property
    def certification(self) -> bytes:
        return _ca_sign(self._ca_key, _KEY_LABEL + self.public)

    def sign(self, payload: bytes) -> bytes:
        return self._key.sign(payload)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    at: str
    crl_number: int
    ca_fingerprint: str

    def payload(self) -> bytes:
        return json.dumps([_PAYLOAD_LABEL, self.seq, self.head, self.at, self.crl_number, self.ca_fingerprint],
                          separators=(",", ":")).encode()


def write(conn: Connection, signer: Signer, home: Path | None) -> Callable[[], None] | None:
    """Sign the chain's current head inside ``conn``'s transaction; return what to record after the commit."""
    last = audited_head(conn) or conn.execute(_LAST_ENTRY).first()
    if last is None:
        return None
    mark_audited(conn, None)  # signed here: the store's before-commit hook has nothing left to do
    checkpoint = Checkpoint(int(last[0]), str(last[1]), utc.now().isoformat(timespec="seconds"),
                            int(conn.execute(_LAST_CRL_NUMBER).scalar_one()), signer.fingerprint)
    values = {"seq": checkpoint.seq, "head": checkpoint.head, "at": checkpoint.at,
              "crl_number": checkpoint.crl_number, "ca_fingerprint": checkpoint.ca_fingerprint,
              "key_public": signer.public, "key_certification": signer.certification,
              "signature": signer.sign(checkpoint.payload())}
    if conn.execute(_UPDATE, {f"v_{name}": value for name, value in values.items()}).rowcount == 0:
        conn.execute(_INSERT, {"id": _ROW_ID, **values})
    return lambda: _record(home, checkpoint)


def enable(store: Store, ca: UnlockedCa) -> None:
    """Sign a checkpoint at every write of ``store`` that appends audit entries, while ``ca`` is alive.

    Only a weak reference is kept: when the front end drops the unlocked CA (the console locks), the store
    stops signing instead of keeping the key in memory.
    """
    holder = weakref.ref(ca)

    def before_commit(conn: Connection) -> Callable[[], None] | None:
        unlocked = holder()
        return None if unlocked is None else write(conn, unlocked.checkpoint_signer, store.home)

    store.before_commit = before_commit


# --- the external record ---------------------------------------------------------------------------------

def record_targets() -> set[str]:
    """Where the head is recorded: ``ZMCONSOLE_AUDIT_RECORD`` lists ``file`` and/or ``syslog`` (comma
    separated), or ``none``; unset means ``file``. Kept outside the store, so a forger of the database
    cannot switch it off."""
    raw = os.environ.get(RECORD_ENV, "file")
    return {part.strip().lower() for part in raw.split(",") if part.strip()} - {"none"}


def _line(checkpoint: Checkpoint) -> str:
    return json.dumps({"at": checkpoint.at, "seq": checkpoint.seq, "head": checkpoint.head,
                       "crl_number": checkpoint.crl_number, "ca": checkpoint.ca_fingerprint},
                      separators=(",", ":"))


def _record(home: Path | None, checkpoint: Checkpoint) -> None:
    targets = record_targets()
    line = _line(checkpoint)
    if "syslog" in targets:
        syslog.openlog("zmconsole", syslog.LOG_PID, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_INFO, f"audit head {line}")
    if "file" in targets and home is not None:
        path = home / RECORD_FILE
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                os.write(fd, (line + "\n").encode())
            finally:
                os.close(fd)
        except OSError as error:  # the commit happened; the record is a second witness, not the first
            _log.warning("could not append the audit head to %s (%s)", path, error.strerror)


def last_recorded(home: Path | None) -> dict[str, Any] | None:
    """The newest complete line of the record file in ``home``, or None."""
    if home is None:
        return None
    path = home / RECORD_FILE
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
    except OSError:
        return None
    for raw in reversed(tail.split(b"\n")):
        try:
            value = json.loads(raw)
        except ValueError:
            continue  # a partial first line of the tail, or a torn last one
        if isinstance(value, dict) and isinstance(value.get("seq"), int) and isinstance(value.get("head"), str):
            return value
    return None


# --- reading checkpoints back ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Verified:
    """The stored checkpoint and what its signatures say."""

    checkpoint: Checkpoint
    problem: str | None  # None when both signatures verify against a CA this store holds


def read(conn: Connection) -> Verified | None:
    """The stored checkpoint, checked: the CA signed the checkpoint key, the key signed the checkpoint."""
    row = conn.execute(_READ).first()
    if row is None:
        return None
    checkpoint = Checkpoint(row.seq, row.head, row.at, row.crl_number, row.ca_fingerprint)
    der = conn.execute(select(schema.cas.c.cert_der)
                       .where(schema.cas.c.fingerprint == row.ca_fingerprint)).scalar_one_or_none()
    if der is None:
        return Verified(checkpoint, f"the signed checkpoint names a CA ({row.ca_fingerprint[:16]}...) this "
                                    "store does not hold")
    cert = x509.load_der_x509_certificate(der)
    if not _ca_verifies(cert, row.key_certification, _KEY_LABEL + row.key_public):
        return Verified(checkpoint, "the signed checkpoint's key was not certified by the CA: it was forged")
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(row.key_public).verify(row.signature, checkpoint.payload())
    except (InvalidSignature, ValueError):
        return Verified(checkpoint, f"the signed checkpoint at entry {row.seq} does not verify: it was altered")
    return Verified(checkpoint, None)


def last_signed_crl(conn: Connection, home: Path | None) -> tuple[int, str] | None:
    """The highest CRL number a trustworthy witness remembers, and which witness: the signed checkpoint,
    or the external record file (a floor only someone who can write the data directory could raise)."""
    found: list[tuple[int, str]] = []
    verified = read(conn)
    if verified is not None and verified.problem is None and verified.checkpoint.crl_number:
        found.append((verified.checkpoint.crl_number, "the signed audit checkpoint"))
    recorded = last_recorded(home)
    if recorded is not None and isinstance(recorded.get("crl_number"), int) and recorded["crl_number"]:
        found.append((int(recorded["crl_number"]), f"the audit record {RECORD_FILE}"))
    return max(found) if found else None
