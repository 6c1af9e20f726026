"""Renewal, device side (docs/pairing-protocol.md §7.7 and §9.1): the seed's checkExpiry() and renewal steps.

``check`` reads the active certificate, names its band and, at or below the renewal threshold, renews.
``renew`` does the steps of the seed (§2.2) so that a crash at any point leaves one working identity:

1. a fresh key and its CSR are written into ``DIR.pending`` *before* the request, so a request whose
   answer was lost is sent again byte for byte (the service answers a repeat with the same certificate);
2. ``simplereenroll`` over mutual TLS with the active identity;
3. the answer is checked (chains to the pinned CA, same device ID, the new key) and stored beside the
   active identity; ``pairing.json`` is written last, so a ``DIR.pending`` holding it is complete;
4. the pending identity passes the mTLS smoke test against the provisioning service, or stays pending
   while the active one keeps working;
5. the active identity moves to ``DIR.previous`` and the pending one into ``DIR`` (two renames; a crash
   between them is finished by :func:`keystore.recover` on the next read);
6. the new identity confirms (``/zmp/v1/renewal/confirm``), which closes the old one's grace window; then
   ``DIR.previous`` is removed.

Every step that changes the keystore calls :func:`_step`; with ``ZMDEVICE_CRASH_AT=<step>`` in the
environment the process kills itself there with SIGKILL, which is how the tests prove the claim above.
"""

from __future__ import annotations

import base64
import json
import math
import os
import shutil
import signal
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zmconsole.core import keyfiles, keys
from zmconsole.core.errors import ZmError
from zmconsole.device import enroll, keystore, smoke, tls, trust
from zmconsole.device.troubleshooting import DeviceError

CONFIRM_PATH = "/zmp/v1/renewal/confirm"
SMOKE_PATH = "/.well-known/est/cacerts"  # any path works; the handshake is the test (§9.1)
CRASH_ENV = "ZMDEVICE_CRASH_AT"
NOTICE_DAYS = 90
WARNING_DAYS = 30
STEPS = ("request-written", "answer-received", "pending-stored", "smoke-passed", "active-moved", "swapped",
         "confirmed")


class Band(StrEnum):
    """Where a certificate stands (seed §7); ``renew-7`` is named for the default renewal threshold."""

    OK = "ok"
    NOTICE = "notice-90"
    WARNING = "warning-30"
    RENEW = "renew-7"
    EXPIRED = "expired"


EXIT_STATUS = {Band.OK: 0, Band.NOTICE: 1, Band.WARNING: 1, Band.RENEW: 2, Band.EXPIRED: 2}
EXIT_RENEWAL_FAILED = 2
EXIT_CANNOT_CHECK = 3


def days_left(certificate: x509.Certificate, now: datetime) -> int:
    """Whole days until notAfter, rounded down (6.9 days left is 6); negative once expired."""
    return math.floor((certificate.not_valid_after_utc - now).total_seconds() / 86400)


def band(certificate: x509.Certificate, now: datetime, threshold: int = keystore.DEFAULT_THRESHOLD) -> Band:
    if now >= certificate.not_valid_after_utc:
        return Band.EXPIRED
    left = days_left(certificate, now)
    if left <= threshold:
        return Band.RENEW
    if left <= WARNING_DAYS:
        return Band.WARNING
    if left <= NOTICE_DAYS:
        return Band.NOTICE
    return Band.OK


# --- the renewal state in the keystore --------------------------------------------------------------


def pending_dir(directory: Path) -> Path:
    return directory.with_name(f"{directory.name}.pending")


def previous_dir(directory: Path) -> Path:
    return directory.with_name(f"{directory.name}.previous")


@dataclass(frozen=True)
class Record:
    """``renewal.json`` of an identity made by renewal: what it replaces and whether it confirmed."""

    replaces_serial: str
    grace_ends: str | None  # ISO 8601 UTC, from ZM-Grace-Ends
    renewed_at: str
    confirmed_at: str | None

    def as_json(self) -> dict[str, Any]:
        return {"replaces_serial": self.replaces_serial, "grace_ends": self.grace_ends,
                "renewed_at": self.renewed_at, "confirmed_at": self.confirmed_at}


def record_of(directory: Path) -> Record | None:
    try:
        facts = json.loads((directory / keystore.RENEWAL_FILE).read_text(encoding="utf-8"))
        return Record(str(facts["replaces_serial"]), facts.get("grace_ends"), str(facts["renewed_at"]),
                      facts.get("confirmed_at"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DeviceError(f"The renewal record {directory / keystore.RENEWAL_FILE} is damaged "
                          f"({type(error).__name__}): delete it; the next zmdevice confirm rewrites it.") from None


def _write_record(directory: Path, record: Record, *, replace: bool) -> None:
    data = (json.dumps(record.as_json(), indent=2, sort_keys=True) + "\n").encode()
    if replace:
        keystore.replace_private(directory / keystore.RENEWAL_FILE, data)
    else:
        keystore.write_private(directory / keystore.RENEWAL_FILE, data)


def _step(name: str) -> None:
    """A point at which the tests may kill the process (module docstring)."""
    assert name in STEPS
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


# --- talking to the service -------------------------------------------------------------------------


def _mtls(identity: keystore.Identity, secret: bytes) -> Any:
    return tls.client_context(identity.anchor, certificate_file=identity.certificate_file,
                              key_file=identity.key_file, key_password=secret,
                              intermediates=identity.intermediates)


def confirm_url(identity: keystore.Identity) -> str:
    """The confirm endpoint at the provisioning service's origin (§7.7.2)."""
    host, port = tls.origin(identity.provisioning_url)
    return f"https://{host if ':' not in host else f'[{host}]'}:{port}{CONFIRM_PATH}"


def _post(identity: keystore.Identity, secret: bytes, url: str, headers: dict[str, str], body: bytes,
          timeout: float) -> tls.Response:
    path = urlsplit(url).path or "/"
    return enroll.call(url, _mtls(identity, secret), path, method="POST", headers=headers, body=body,
                       timeout=timeout)


# --- renew --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Renewed:
    old_serial: str
    certificate: x509.Certificate
    grace_ends: str | None
    confirmed: bool
    confirm_problem: str | None  # why the confirm did not go through (the grace window then closes by itself)
    resumed: bool  # finished a renewal an earlier run had begun


def unfinished(directory: Path) -> bool:
    """A pending identity, or an active one made by renewal that has not confirmed."""
    record = record_of(directory) if keystore.exists(directory) else None
    return pending_dir(directory).exists() or (record is not None and record.confirmed_at is None)


def renew(directory: Path, *, secret: bytes, now: datetime, timeout: float = tls.TIMEOUT) -> Renewed:
    """Renew the active identity, first finishing (or discarding) what an interrupted run left."""
    finished = finish(directory, secret=secret, now=now, timeout=timeout)
    if finished is not None:
        return finished
    identity = keystore.load(directory)
    keystore.require_private(directory)
    pending = pending_dir(directory)
    _discard(pending)
    pending.mkdir(mode=keystore.DIR_MODE)
    os.chmod(pending, keystore.DIR_MODE)
    key = ec.generate_private_key(ec.SECP256R1())
    device_id = trust.common_name(identity.certificate)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)]))
           .sign(key, hashes.SHA256()))
    keystore.write_private(pending / keystore.KEY_FILE, keyfiles.encrypt_pkcs8(key, secret))
    keystore.write_private(pending / keystore.REQUEST_FILE, csr.public_bytes(serialization.Encoding.DER))
    keystore.fsync_dir(pending)
    _step("request-written")
    return _complete(directory, identity, secret=secret, now=now, timeout=timeout, resumed=False)


def finish(directory: Path, *, secret: bytes, now: datetime, timeout: float = tls.TIMEOUT) -> Renewed | None:
    """Finish what an interrupted renewal left: a pending identity, or an unconfirmed active one."""
    identity = keystore.load(directory)  # also finishes a swap cut between its two renames
    pending = pending_dir(directory)
    if pending.exists():
        if not (pending / keystore.REQUEST_FILE).is_file() or not (pending / keystore.KEY_FILE).is_file():
            _discard(pending)  # cut before its request was written: nothing was sent
        else:
            return _complete(directory, identity, secret=secret, now=now, timeout=timeout, resumed=True)
    record = record_of(directory)
    if record is not None and record.confirmed_at is None:
        problem = _confirm(directory, secret=secret, now=now, timeout=timeout)
        return Renewed(record.replaces_serial, identity.certificate, record.grace_ends, problem is None, problem,
                       resumed=True)
    return None


def _complete(directory: Path, identity: keystore.Identity, *, secret: bytes, now: datetime, timeout: float,
              resumed: bool) -> Renewed:
    pending = pending_dir(directory)
    if not (pending / keystore.PAIRING_FILE).is_file():
        _receive(identity, pending, secret=secret, now=now, timeout=timeout)
    candidate = keystore.load(pending)
    record = record_of(pending)
    if record is None or record.replaces_serial != trust.serial_of(identity.certificate):
        _discard(pending)
        raise DeviceError(f"A pending renewal in {pending} did not replace the active certificate "
                          f"({trust.serial_of(identity.certificate)}); it was discarded. Run zmdevice renew again.")
    try:
        smoke.smoke_test(pending, identity.provisioning_url.rstrip("/") + SMOKE_PATH, secret=secret, now=now)
    except DeviceError as error:
        raise DeviceError(f"The renewed certificate (serial {trust.serial_of(candidate.certificate)}) failed the "
                          f"mTLS smoke test, so the current one (serial {trust.serial_of(identity.certificate)}) "
                          f"stays active and the new one stays pending in {pending}; zmdevice check or renew "
                          f"tries it again. {error}") from None
    _step("smoke-passed")
    _swap(directory)
    problem = _confirm(directory, secret=secret, now=now, timeout=timeout)
    return Renewed(record.replaces_serial, candidate.certificate, record.grace_ends, problem is None, problem,
                   resumed)


def _receive(identity: keystore.Identity, pending: Path, *, secret: bytes, now: datetime, timeout: float) -> None:
    """Send the pending CSR (again, after a crash) and store the certificate that comes back."""
    der = (pending / keystore.REQUEST_FILE).read_bytes()
    try:
        key = keyfiles.decrypt_pem((pending / keystore.KEY_FILE).read_bytes(), secret, what="the renewal key")
    except ZmError:
        _discard(pending)
        raise DeviceError(f"The keystore secret does not open the pending renewal key in {pending}; it was "
                          "discarded. Check the keystore secret and run zmdevice renew again.") from None
    headers = {"Content-Type": "application/pkcs10", "Content-Transfer-Encoding": "base64"}
    try:
        answer = _post(identity, secret, identity.renewal_url, headers, base64.b64encode(der), timeout)
    except enroll.ServiceRefusal as refusal:
        if refusal.status < 500 and refusal.code != "renewal_conflict":
            _discard(pending)  # the service will never answer this request: start afresh next time
        raise
    _step("answer-received")
    device_id = trust.common_name(identity.certificate)
    certificates = tls.parse_certs_only(answer.body, "renewed certificate sent by the provisioning service")
    mine = [c for c in certificates if keys.spki(c.public_key()) == keys.spki(key)]
    if not mine:
        _discard(pending)
        raise DeviceError(f"The provisioning service sent no certificate for the new key (it sent "
                          f"{len(certificates)}): the renewal cannot be used and the current identity stays active.")
    certificate = mine[0]
    intermediates = tuple(c for c in certificates if c is not certificate and c != identity.anchor)
    trust.check_device_certificate(certificate, (*intermediates, *identity.intermediates), identity.anchor,
                                   device_id=device_id, private_key=key, now=now)
    pem = serialization.Encoding.PEM
    keystore.write_private(pending / keystore.CERT_FILE, certificate.public_bytes(pem))
    # The chain of the new certificate: after the issuing CA rolled over, the new issuing CA the service sent.
    chain = (identity.directory / keystore.CHAIN_FILE).read_bytes() if not intermediates else b"".join(
        c.public_bytes(pem) for c in (*intermediates, identity.anchor))
    keystore.write_private(pending / keystore.CHAIN_FILE, chain)
    record = Record(trust.serial_of(identity.certificate), answer.headers.get("zm-grace-ends"),
                    now.isoformat(timespec="seconds"), None)
    _write_record(pending, record, replace=False)
    facts = json.loads((identity.directory / keystore.PAIRING_FILE).read_text(encoding="utf-8"))
    keystore.write_private(pending / keystore.PAIRING_FILE,
                           (json.dumps(facts, indent=2, sort_keys=True) + "\n").encode())
    keystore.fsync_dir(pending)
    _step("pending-stored")


def _swap(directory: Path) -> None:
    """Make the pending identity the active one; the old one is kept as ``DIR.previous`` during grace."""
    previous = previous_dir(directory)
    _discard(previous)
    os.replace(directory, previous)
    _step("active-moved")
    os.replace(pending_dir(directory), directory)
    keystore.fsync_dir(directory.parent)
    _step("swapped")


def confirm(directory: Path, *, secret: bytes, now: datetime, timeout: float = tls.TIMEOUT) -> dict[str, Any]:
    """``zmdevice confirm``: close the grace window with the active (new) certificate."""
    problem = _confirm(directory, secret=secret, now=now, timeout=timeout, quiet=False)
    assert problem is None
    return json.loads((directory / keystore.RENEWAL_FILE).read_text(encoding="utf-8")) \
        if (directory / keystore.RENEWAL_FILE).exists() else {}


def _confirm(directory: Path, *, secret: bytes, now: datetime, timeout: float, quiet: bool = True) -> str | None:
    identity = keystore.load(directory)
    try:
        answer = _post(identity, secret, confirm_url(identity), {"Content-Type": "application/json"}, b"", timeout)
        confirmed_at = str(json.loads(answer.body).get("confirmed_at") or now.isoformat(timespec="seconds"))
    except DeviceError as error:
        if not quiet:
            raise
        return str(error)
    except (ValueError, AttributeError):
        confirmed_at = now.isoformat(timespec="seconds")
    _step("confirmed")
    record = record_of(directory)
    if record is not None:
        _write_record(directory, Record(record.replaces_serial, record.grace_ends, record.renewed_at,
                                        confirmed_at), replace=True)
    _discard(previous_dir(directory))  # revoked now: nothing left to fall back on
    return None


def _discard(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
        keystore.fsync_dir(path.parent)


# --- what status and check show ----------------------------------------------------------------------------


def summary(directory: Path, now: datetime) -> dict[str, Any]:
    """The pending identity, the previous one with its end of grace, and the active one's renewal record."""
    pending, previous = pending_dir(directory), previous_dir(directory)
    pending_facts: dict[str, Any] | None = None
    if pending.exists():
        pending_facts = {"directory": str(pending), "complete": (pending / keystore.PAIRING_FILE).is_file(),
                         "serial": None, "not_after": None}
        if pending_facts["complete"]:
            certificate = x509.load_pem_x509_certificate((pending / keystore.CERT_FILE).read_bytes())
            pending_facts.update(serial=trust.serial_of(certificate), not_after=iso(certificate.not_valid_after_utc))
    record = record_of(directory)
    previous_facts: dict[str, Any] | None = None
    if previous.is_dir() and (previous / keystore.CERT_FILE).is_file():
        certificate = x509.load_pem_x509_certificate((previous / keystore.CERT_FILE).read_bytes())
        grace = record.grace_ends if record is not None else None
        in_grace = grace is None or datetime.fromisoformat(grace) > now
        previous_facts = {"directory": str(previous), "serial": trust.serial_of(certificate),
                          "not_after": iso(certificate.not_valid_after_utc),
                          "grace_ends": grace if in_grace else None}
    return {"pending": pending_facts, "previous": previous_facts,
            "renewal": record.as_json() if record is not None else None}


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as the service's ``ZM-Grace-Ends`` (§7.7.1)."""
    return moment.isoformat().replace("+00:00", "Z")

