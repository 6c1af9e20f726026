"""A device renewing itself over mutual TLS, and closing its grace window (protocol §7.7, seed §2.2).

The provisioning service hands in the certificate the device presented in the TLS handshake (DER, already
chained to the platform CA by the handshake) and the request body; everything else happens here, in the
protocol's normative order (§7.7.3): is the certificate this store's, unrevoked, in date (or within
``renew-after-expiry-days``), the head of its device's lineage; then the CSR. Only the head renews, so an old
or stolen certificate cannot fork a device. Issuance takes the write lock and checks again that the
presented certificate is still the head, so two renewals at once make one certificate: the loser is
answered with that certificate when it sent the same CSR, and with ``renewal_conflict`` otherwise.

Every renewal, confirmation and refusal of a request that presented a certificate is audited; a request with
no client certificate is not (the service counts those in its log, rate-limited).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from sqlalchemy import Connection, select, update

from zmconsole.core import audit, issuance, policy, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError, PolicyError, ZmError
from zmconsole.core.pairing.authorise import decode_csr_body
from zmconsole.core.pairing.refusals import PairingRefused
from zmconsole.core.profiles import serial_hex
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

RENEWED_BY_DEVICE = "renewed-by-device"
_c, _d = schema.certificates, schema.devices
_SPKI = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
_REPAIR = "pair the device again on the console (Reprovision device)"


def iso_z(moment: datetime) -> str:
    """ISO 8601 UTC as the protocol writes it: ``2026-12-01T10:31:02Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class RenewalRefused(ZmError):
    """A renewal or confirm is refused; ``code`` is the protocol's error code (§7.7.3)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Renewed:
    device_id: str
    serial: str
    replaces_serial: str
    grace_ends: datetime
    pkcs7: bytes  # DER certs-only CMS holding the new certificate (RFC 7030 §4.2.3)
    ignored_names: tuple[str, ...]  # requested SAN entries left out (§7.8)
    replayed: bool  # the same request again: the certificate it made before

    @property
    def certificate(self) -> x509.Certificate:
        return pkcs7.load_der_pkcs7_certificates(self.pkcs7)[0]


@dataclass(frozen=True)
class Confirmed:
    device_id: str
    serial: str
    superseded_serial: str | None  # the predecessor revoked now, or earlier by a confirm repeated
    confirmed_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "serial": self.serial, "superseded_serial": self.superseded_serial,
                "confirmed_at": iso_z(self.confirmed_at)}


@dataclass(frozen=True)
class _Presented:
    row: schema.Row  # the certificate presented, with its device's ward and current certificate
    certificate: x509.Certificate


_PRESENTED = (select(_c.c.id, _c.c.serial, _c.c.device_id, _c.c.kind, _c.c.not_after, _c.c.revoked_at,
                     _c.c.revocation_reason, _c.c.replaces_id, _c.c.confirmed_at, _c.c.fingerprint,
                     _d.c.ward, _d.c.current_certificate_id)
              .select_from(_c.outerjoin(_d, _d.c.device_id == _c.c.device_id)))


def _refused(conn: Connection, presented: _Presented | None, code: str, message: str, *, endpoint: str,
             source: str, now: datetime) -> RenewalRefused:
    """Audit the refusal (and mark the device's renewal as failed) in ``conn``; the error to raise after commit."""
    if presented is not None:
        row = presented.row
        subject = row.device_id or presented.certificate.subject.rfc4514_string()[:200]
        audit.append(conn, "renewal.refused", subject, {"code": code, "endpoint": endpoint, "serial": row.serial,
                                                        "source": source}, actor=f"device {subject}", now=now)
        if row.device_id is not None and endpoint == "simplereenroll":
            conn.execute(update(_d).where(_d.c.device_id == row.device_id)
                         .values(renewal_failed_at=utc.to_epoch(now), renewal_failure=code))
    return RenewalRefused(code, message)


def _presented(conn: Connection, ca: UnlockedCa, peer: bytes | None) -> _Presented | str:
    """The presented certificate's row, or the refusal code when there is none to work with."""
    if not peer:
        return "client_certificate_required"
    try:
        certificate = x509.load_der_x509_certificate(peer)
    except ValueError:
        return "cert_unknown"
    # Any issuing CA of this store: a certificate from the one rolled over from renews onto the active one.
    row = conn.execute(_PRESENTED.where(_c.c.serial == serial_hex(certificate.serial_number),
                                        _c.c.ca_id.in_([one.info.id for one in ca.every]))).first()
    if row is None or row.fingerprint != hashlib.sha256(peer).hexdigest() or row.kind != "device" \
            or row.device_id is None:
        return "cert_unknown"
    return _Presented(row, certificate)


def _unauthenticated(code: str) -> RenewalRefused:
    if code == "client_certificate_required":
        return RenewalRefused(code, "No device certificate was presented: renewal needs the device's current "
                                    "certificate in the TLS handshake. A device without one must be paired: "
                                    f"{_REPAIR}.")
    return RenewalRefused(code, "The certificate presented is not a device certificate issued by this console: "
                                f"{_REPAIR}.")


def _in_date(row: schema.Row, settings: Settings, now: datetime) -> str | None:
    """Why an expired certificate may not renew (or confirm), or None when it may."""
    expired = utc.from_epoch(row.not_after)
    if now < expired:
        return None
    allowance = settings.renew_after_expiry_days
    if allowance > 0 and now < expired + timedelta(days=allowance):
        return None
    rule = (f"renewal after expiry is allowed for {allowance} day(s), which have passed" if allowance
            else "renewal after expiry is not allowed (renew-after-expiry-days is 0)")
    return (f"The certificate of {row.device_id} (serial {row.serial}) expired on {expired:%Y-%m-%d %H:%M} UTC and "
            f"{rule}: {_REPAIR}.")


def _successor(conn: Connection, certificate_id: int) -> schema.Row | None:
    return conn.execute(select(_c.c.id, _c.c.serial, _c.c.der, _c.c.request_sha256, _c.c.made_by,
                               _c.c.confirmed_at, _c.c.revoked_at, _c.c.ca_id)
                        .where(_c.c.replaces_id == certificate_id).order_by(_c.c.id.desc()).limit(1)).first()


def _standing(conn: Connection, presented: _Presented, settings: Settings, now: datetime) -> tuple[str, str] | None:
    """Revoked or out of date: the refusal's code and message; None when the certificate may act."""
    row = presented.row
    if row.revoked_at is not None:
        when = utc.from_epoch(row.revoked_at)
        return "cert_revoked", (f"The certificate of {row.device_id} (serial {row.serial}) was revoked "
                                f"({row.revocation_reason}, {when:%Y-%m-%d %H:%M} UTC): use the device's newest "
                                f"certificate, or {_REPAIR}.")
    why = _in_date(row, settings, now)
    return None if why is None else ("cert_expired", why)


def renew(store: Store, ca: UnlockedCa, peer: bytes | None, body: bytes, *, source: str = "",
          now: datetime | None = None, settings: Settings | None = None) -> Renewed:
    """``simplereenroll``: a new certificate for the device whose current certificate is ``peer`` (DER).

    Raises :class:`RenewalRefused`; a refusal issues nothing.
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    for _ in range(3):  # a renewal that loses the race looks again at what the winner made
        try:
            return _renew_once(store, ca, peer, body, source=source, now=now, settings=settings)
        except issuance.Superseded:
            continue
    raise RenewalRefused("renewal_conflict", "Other renewals of this device keep arriving at the same time: wait a "
                                             "minute and renew again.")


def _renew_once(store: Store, ca: UnlockedCa, peer: bytes | None, body: bytes, *, source: str, now: datetime,
                settings: Settings) -> Renewed:
    with store.write() as conn:
        found = _presented(conn, ca, peer)
        if isinstance(found, str):
            if found == "cert_unknown":  # chains to the CA (the handshake checked), so not anyone's to send
                audit.append(conn, "renewal.refused", "unknown certificate",
                             {"code": found, "endpoint": "simplereenroll", "source": source}, now=now)
            outcome: RenewalRefused | Renewed = _unauthenticated(found)
        else:
            outcome = _check(store, conn, ca, found, body, source=source, now=now, settings=settings)
    if isinstance(outcome, RenewalRefused):
        raise outcome
    return outcome


def _check(store: Store, conn: Connection, ca: UnlockedCa, presented: _Presented, body: bytes, *, source: str,
           now: datetime, settings: Settings) -> RenewalRefused | Renewed:
    """Everything up to issuing, in the write transaction: a refusal (audited), or a repeat's answer."""
    row = presented.row

    def refuse(code: str, message: str) -> RenewalRefused:
        return _refused(conn, presented, code, message, endpoint="simplereenroll", source=source, now=now)

    standing = _standing(conn, presented, settings, now)
    if standing is not None:
        return refuse(*standing)
    try:
        der = decode_csr_body(body)
    except PairingRefused as error:
        der = None
        bad = str(error)
    request_sha256 = None if der is None else hashlib.sha256(der).hexdigest()
    if row.current_certificate_id != row.id:
        outcome = _not_newest(conn, ca, row, request_sha256, now)
        return outcome if isinstance(outcome, Renewed) else refuse(*outcome)
    if der is None:
        return refuse("malformed_request", bad)
    checked = _checked_request(der, presented, settings)
    if isinstance(checked, tuple):
        return refuse(*checked)
    csr = checked
    try:
        issued = issuance.issue_device(
            store, ca, row.device_id, conn=conn, csr=csr, ward=row.ward, subject_from_profile=True,
            settings=settings, now=now, actor=f"device {row.device_id}", made_by=RENEWED_BY_DEVICE, renews=row.id,
            request_sha256=request_sha256, audit_details={"source": source})
    except PolicyError as error:
        return refuse("policy_refused", str(error))
    conn.execute(update(_d).where(_d.c.device_id == row.device_id).values(renewal_failed_at=None,
                                                                          renewal_failure=None))
    successor = _successor(conn, row.id)
    assert successor is not None and successor.id == issued.record_id
    return _answer(conn, ca, row, successor, now, replayed=False, ignored=issued.ignored_names)


def _not_newest(conn: Connection, ca: UnlockedCa, row: schema.Row, request_sha256: str | None, now: datetime
                ) -> tuple[str, str] | Renewed:
    """A presented certificate that is no longer its device's newest: a repeat of the renewal that replaced
    it gets that renewal's answer again (same CSR, not yet confirmed); anything else is refused."""
    successor = _successor(conn, row.id)
    head = successor is not None and successor.id == row.current_certificate_id and successor.revoked_at is None
    if head and successor is not None and successor.made_by == RENEWED_BY_DEVICE and successor.confirmed_at is None:
        if request_sha256 is not None and successor.request_sha256 == request_sha256:
            return _answer(conn, ca, row, successor, now, replayed=True)
        return ("renewal_conflict", f"{row.device_id} was renewed a moment ago (serial {successor.serial}) "
                                    "from another request: install the certificate that renewal returned "
                                    "and confirm it, or send the same request again.")
    return ("not_current", f"The certificate of {row.device_id} (serial {row.serial}) is no longer the "
                           "device's newest, and only the newest renews: Renew certificate with the newest "
                           f"one, or {_REPAIR}.")


def _checked_request(der: bytes, presented: _Presented, settings: Settings
                     ) -> tuple[str, str] | x509.CertificateSigningRequest:
    """The renewal CSR, or the refusal code and message: readable, signed, for this device, a new key."""
    row = presented.row
    try:
        csr = policy.load_csr(der)
    except InputError as error:
        return ("malformed_request", str(error))
    try:
        signature_ok = csr.is_signature_valid
    except Exception:  # an unsupported or malformed signature algorithm
        signature_ok = False
    if not signature_ok:
        return ("malformed_request", "The CSR's signature does not verify (the request was altered or is "
                                     "damaged): make the request again on the device.")
    cn = [a.value for a in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if cn != [row.device_id]:
        asked = "no CN" if not cn else ("CN=" + ", CN=".join(map(str, cn)))
        return ("device_mismatch", f"The CSR names {asked}, but the certificate presented is {row.device_id}'s: "
                                   f"make the request for CN={row.device_id}.")
    try:
        same_key = csr.public_key().public_bytes(*_SPKI) == presented.certificate.public_key().public_bytes(*_SPKI)
    except Exception:  # an unreadable key: the policy check names it
        same_key = False
    if same_key and settings.renewal_key_reuse == "refuse":
        return ("key_reused", f"The CSR is for the key {row.device_id} already has, and this site renews "
                              "only with a new key (renewal-key-reuse is refuse): generate a new key and "
                              "send a new request.")
    return csr


def _answer(conn: Connection, ca: UnlockedCa, row: schema.Row, successor: schema.Row, now: datetime, *, replayed: bool,
            ignored: tuple[str, ...] | None = None) -> Renewed:
    grace = conn.execute(select(_c.c.grace_ends_at).where(_c.c.id == row.id)).scalar_one()
    certificate = x509.load_der_x509_certificate(successor.der)
    if ignored is None:  # a repeat: the same CSR asked for the same names
        ignored = ()
    issuer = ca.by_id(successor.ca_id) or ca
    # The new certificate first, then any intermediate: after a roll-over, the issuing CA the device lacks.
    der = pkcs7.serialize_certificates([certificate, *issuer.chain[:-1]], serialization.Encoding.DER)
    return Renewed(row.device_id, successor.serial, row.serial, utc.from_epoch(grace), der, ignored, replayed)


def confirm(store: Store, ca: UnlockedCa, peer: bytes | None, *, source: str = "", now: datetime | None = None,
            settings: Settings | None = None) -> Confirmed:
    """The device's new identity works: revoke its predecessor as superseded now, closing the grace window.

    ``peer`` is the NEW certificate (DER). A repeat, or a certificate that replaces nothing, changes nothing.
    """
    now = utc.now(now)
    settings = settings or load_settings(store)
    with store.write() as conn:
        found = _presented(conn, ca, peer)
        outcome: Confirmed | RenewalRefused
        if isinstance(found, str):
            outcome = _unauthenticated(found)
        else:
            outcome = _confirm_in(conn, found, source=source, now=now, settings=settings)
    if isinstance(outcome, RenewalRefused):
        raise outcome
    return outcome


def _confirm_in(conn: Connection, presented: _Presented, *, source: str, now: datetime,
                settings: Settings) -> Confirmed | RenewalRefused:
    row = presented.row

    def refuse(code: str, message: str) -> RenewalRefused:
        return _refused(conn, presented, code, message, endpoint="confirm", source=source, now=now)

    standing = _standing(conn, presented, replace(settings, renew_after_expiry_days=0), now)  # no allowance
    if standing is not None:
        return refuse(*standing)
    if row.current_certificate_id != row.id:
        if _successor(conn, row.id) is not None:
            return refuse("confirm_with_new", f"This is the certificate being replaced (serial {row.serial}): "
                                              f"confirm with {row.device_id}'s new certificate.")
        return refuse("not_current", f"The certificate of {row.device_id} (serial {row.serial}) is no longer the "
                                     f"device's newest: {_REPAIR}.")
    predecessor = None
    if row.replaces_id is not None:
        predecessor = conn.execute(select(_c.c.id, _c.c.serial, _c.c.revoked_at, _c.c.not_after)
                                   .where(_c.c.id == row.replaces_id)).first()
    if row.confirmed_at is not None:  # a repeat: the response was lost
        return Confirmed(row.device_id, row.serial, None if predecessor is None else predecessor.serial,
                         utc.from_epoch(row.confirmed_at))
    revoked = None
    if predecessor is not None and predecessor.revoked_at is None and predecessor.not_after > utc.to_epoch(now):
        conn.execute(update(_c).where(_c.c.id == predecessor.id)
                     .values(revoked_at=utc.to_epoch(now), revocation_reason="superseded"))
        conn.execute(schema.held_keys.delete().where(schema.held_keys.c.certificate_id == predecessor.id))
        revoked = predecessor.serial
    conn.execute(update(_c).where(_c.c.id == row.id).values(confirmed_at=utc.to_epoch(now)))
    audit.append(conn, "renewal.confirmed", row.device_id,
                 {"serial": row.serial, "superseded": revoked, "source": source}, actor=f"device {row.device_id}",
                 now=now)
    return Confirmed(row.device_id, row.serial, revoked if revoked is not None else
                     (None if predecessor is None else predecessor.serial), now)
