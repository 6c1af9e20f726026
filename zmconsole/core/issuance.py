"""Issuing device and server certificates (seed §2.1 steps 2-3, §2.2 step 3, §4).

Every certificate is recorded in the store, with its DER, in the same
transaction as its audit entry and before the caller sees it: a crash either
leaves nothing or leaves a certificate the store knows about. Serial numbers
are 159-bit CSPRNG values and the store's unique constraint makes a repeat
impossible rather than unlikely.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import Connection, and_, bindparam, select, update

from zmconsole.core import audit, device_text, keys, policy, profiles, schema, sealing, utc
from zmconsole.core.ca import UnlockedCa, require_leaf_signer
from zmconsole.core.errors import ConflictError, InputError, NotFoundError
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

MAX_DAYS = 3650

# Statements built once with bound parameters: building and cache-keying a statement per call cost more than
# signing with an EC CA key (see benchmarks/bench_issuance.py).
_c, _d = schema.certificates, schema.devices
# The device row and its current certificate in one query; ``usable``: not revoked, superseded or expired.
_DEVICE_STATE = (select(_d.c.ward, _d.c.location, _c.c.id, _c.c.serial, _c.c.not_after, _c.c.revoked_at,
                        and_(_c.c.revoked_at.is_(None), _c.c.superseded_at.is_(None),
                             _c.c.not_after > bindparam("b_now")).label("usable"))
                 .select_from(_d.outerjoin(_c, _c.c.id == _d.c.current_certificate_id))
                 .where(_d.c.device_id == bindparam("b_device")))
_INSERT_DEVICE = _d.insert()
_UPDATE_DEVICE = update(_d).where(_d.c.device_id == bindparam("b_device"))  # SET columns come with the parameters
_INSERT_CERTIFICATE = _c.insert()


@dataclass(frozen=True)
class Issued:
    """A certificate that is now in the store, with the key when the console generated it."""

    record_id: int
    serial: str
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    kind: str
    common_name: str
    device_id: str | None
    key_type: str
    private_key: keys.PrivateKey | None
    clamped: bool  # notAfter was cut back to the CA's own notAfter
    ignored_names: tuple[str, ...] = ()  # requested SAN entries left out (protocol §7.8)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True)
class _Request:
    public_key: keys.PublicKey
    private_key: keys.PrivateKey | None
    ou: str | None
    key_source: str
    ignored_names: tuple[str, ...] = ()

    @property
    def key_type(self) -> str:
        return keys.describe(self.public_key)


def _validity(ca: UnlockedCa, days: int, now: datetime) -> tuple[datetime, datetime, bool]:
    require_leaf_signer(ca)  # every leaf's validity is computed here: a root signs none
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"The validity must be between 1 and {MAX_DAYS} days, not {days}.")
    not_after = now + timedelta(days=days)
    clamped = not_after > ca.info.not_after
    if clamped:
        not_after = ca.info.not_after
    if not_after <= now + timedelta(days=1):
        raise ConflictError(f"The platform CA expires on {ca.info.not_after:%Y-%m-%d}: set up a new CA before "
                            "issuing more certificates.")
    return now - profiles.CLOCK_SKEW, not_after, clamped


#: A CSR as bytes, parsed, or already through the policy (:func:`policy.check_csr`, so it is not checked again).
CsrInput = bytes | x509.CertificateSigningRequest | policy.CheckedCsr


def _prepare(ca: UnlockedCa, *, what: str, common_name: str, csr: CsrInput | None,
             generate: str | keys.PrivateKey | None, ou: str | None, expected_names: Sequence[str], client: bool,
             subject_from_profile: bool = False) -> _Request:
    """Check the CSR (or make a key) before anything is signed or stored.

    ``subject_from_profile``: only the CSR's CN counts; C, O and OU come from the CA and the ward (EST pairing).
    """
    if (csr is None) == (generate is None):
        raise InputError("Give either a CSR from the device or ask for a key generated here, not both or neither.")
    if generate is not None:
        kind = generate if isinstance(generate, str) else keys.describe(generate)
        if kind not in keys.LEAF_KEY_TYPES:
            raise InputError(f"The key type must be one of {', '.join(keys.LEAF_KEY_TYPES)}, not {kind!r}.")
        private = keys.generate(generate) if isinstance(generate, str) else generate
        return _Request(private.public_key(), private, ou, "generated")
    assert csr is not None
    checked = csr if isinstance(csr, policy.CheckedCsr) else policy.check_csr(
        policy.load_csr(csr) if isinstance(csr, bytes) else csr, common_name=common_name,
        expected_names=expected_names, client=client, ca_subject=None if subject_from_profile else ca.issuer)
    if checked.requested_ou and ou and checked.requested_ou != ou:
        checked = replace(checked, violations=(*checked.violations, policy.Violation(
            policy.ViolationKind.WARD, f"OU is {checked.requested_ou!r} but the ward given is {ou!r}")))
    checked.accepted(what)
    assert isinstance(checked.public_key, keys.PublicKey)  # anything else is a policy violation above
    return _Request(checked.public_key, None, checked.requested_ou or ou, "csr",
                    policy.ignored_alt_names(checked.csr, expected_names))


def _device_state(conn: Connection, device_id: str, now: datetime) -> schema.Row | None:
    return conn.execute(_DEVICE_STATE, {"b_device": device_id, "b_now": utc.to_epoch(now)}).first()


def _usable(state: schema.Row | None) -> schema.Row | None:
    return state if state is not None and state.usable else None


def active_certificate(conn: Connection, device_id: str, now: datetime) -> schema.Row | None:
    """The device's current certificate if it is still usable (not revoked, superseded or expired)."""
    return _usable(_device_state(conn, device_id, now))


class Superseded(ConflictError):
    """The certificate a renewal was asked to replace is no longer the device's current one (another renewal
    won the race): the caller looks again at what happened."""


def _record(conn: Connection, ca: UnlockedCa, cert: x509.Certificate, *, kind: str, common_name: str,
            device_id: str | None, request: _Request, hold_key: bool, now: datetime, actor: str | None,
            clamped: bool, action: str = "cert.issued", lineage: dict[str, object] | None = None,
            details: dict[str, object] | None = None) -> Issued:
    """Store the certificate (and a held key) with its audit entry; what the caller hands out."""
    der = cert.public_bytes(serialization.Encoding.DER)
    serial = profiles.serial_hex(cert.serial_number)
    key_type = request.key_type
    result = conn.execute(_INSERT_CERTIFICATE, {
        "serial": serial, "kind": kind, "common_name": common_name, "device_id": device_id, "ca_id": ca.info.id,
        "not_before": utc.to_epoch(cert.not_valid_before_utc), "not_after": utc.to_epoch(cert.not_valid_after_utc),
        "issued_at": utc.to_epoch(now), "key_type": key_type, "key_source": request.key_source,
        "fingerprint": hashlib.sha256(der).hexdigest(),  # cert.fingerprint() would encode the DER again
        "der": der, **(lineage or {}),
    })
    record_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    if hold_key and request.private_key is not None:
        conn.execute(schema.held_keys.insert().values(
            certificate_id=record_id, created_at=utc.to_epoch(now),
            sealed=sealing.seal(request.private_key, ca.key, label=serial)))
    audit.append(conn, action, common_name, {
        "serial": serial, "kind": kind, "not_after": cert.not_valid_after_utc.isoformat(),
        "key": key_type, "key_source": request.key_source, **(details or {}),
        **({"ignored_alt_names": list(request.ignored_names)} if request.ignored_names else {}),
    }, actor=actor, now=now)
    return Issued(record_id, serial, cert, ca.chain, kind, common_name, device_id, key_type,
                  request.private_key, clamped, request.ignored_names)


def issue_device(
    store: Store,
    ca: UnlockedCa,
    device_id: str,
    *,
    csr: CsrInput | None = None,
    generate: str | keys.PrivateKey | None = None,
    ward: str | None = None,
    location: str | None = None,
    days: int | None = None,
    hold_key: bool = False,
    renew: bool = False,
    subject_from_profile: bool = False,
    settings: Settings | None = None,
    now: datetime | None = None,
    actor: str | None = None,
    before_commit: Callable[[Issued], None] | None = None,
    made_by: str | None = None,
    renews: int | None = None,
    request_sha256: str | None = None,
    audit_details: dict[str, object] | None = None,
    conn: Connection | None = None,
    generated_here: bool = False,
) -> Issued:
    """Issue the device's client certificate from its CSR or from a key generated here.

    A device with an active certificate is refused unless ``renew`` is set, in which case the old
    certificate is marked superseded and stays valid for the grace period (seed §2.2 step 4).
    ``hold_key`` keeps a generated key, sealed under the CA, until it is delivered (PKCS#12 export or
    the pairing pull). ``subject_from_profile`` checks only the CSR's CN and ignores its other subject
    attributes (EST pairing: a device knows nothing of the site's C/O/OU; the profile sets them).
    ``generated_here``: the CSR was made by the console with a key it generated (a console-key pairing
    prepared without the CA), so the record says ``generated``. ``generate`` is a key type, or a key
    generated here already (by a caller that encrypts it for delivery before taking the write lock).
    ``before_commit`` runs inside the transaction (writing the files the certificate is delivered in): if it
    raises, nothing was issued.

    Lineage (protocol §7.7): the new certificate records what it replaces and ``made_by`` (default
    ``issued``, or ``renewed-by-console`` with ``renew``); the replaced one keeps working until its grace
    ends (``renewal-grace-days``) or the device confirms. ``renews`` is the device renewing itself: the
    record id of the certificate it presented, which must still be the device's current one and unrevoked
    when the write lock is held (expired is the caller's decision), else :class:`Superseded`. ``conn`` is a
    write transaction of the caller's to issue in (the renewal's own checks share it); such a caller (a
    pairing, a renewal) authorised the issuance itself, else the signed-in operator must be allowed to issue.
    """
    if conn is None:
        require_role(store, Operation.DEVICE_ISSUE, device_id)
    settings = settings or load_settings(store)
    now = utc.now(now)
    policy.check_device_id(device_id, settings)
    ward, location = device_text.ward(ward), device_text.location(location)
    dns_name = policy.device_dns_name(device_id, settings)
    request = _prepare(ca, what=device_id, common_name=device_id, csr=csr, generate=generate, ou=ward,
                       expected_names=[dns_name], client=True, subject_from_profile=subject_from_profile)
    if generated_here:
        request = replace(request, key_source="generated")
    device_text.ward(request.ou, where=" in the CSR")  # a CSR's own OU goes into the certificate too
    not_before, not_after, clamped = _validity(ca, settings.device_days if days is None else days, now)
    urls = profiles.Urls(ca.info.crl_url(settings.crl_url), settings.ocsp_url, settings.ca_issuers_url)
    with contextlib.nullcontext(conn) if conn is not None else store.write() as conn:
        existing = _device_state(conn, device_id, now)
        active = _replaced(existing, device_id, renew=renew, renews=renews)
        cert = profiles.leaf_certificate(
            ca_key=ca.key, ca_cert=ca.certificate, public_key=request.public_key,
            subject=profiles.leaf_subject(ca.issuer, device_id, request.ou),
            names=[x509.DNSName(dns_name)], usage=profiles.CLIENT_AUTH,
            not_before=not_before, not_after=not_after, urls=urls, issuer=ca.issuer)
        if existing is None:
            conn.execute(_INSERT_DEVICE, {"device_id": device_id, "ward": request.ou, "location": location,
                                          "created_at": utc.to_epoch(now)})
        grace_ends = now + timedelta(days=settings.renewal_grace_days)
        if active is not None:
            conn.execute(update(schema.certificates).where(schema.certificates.c.id == active.id)
                         .values(superseded_at=utc.to_epoch(now), grace_ends_at=utc.to_epoch(grace_ends)))
        made = made_by or ("renewed-by-console" if renew else "issued")
        lineage = {"made_by": made, "replaces_id": None if active is None else active.id,
                   "request_sha256": request_sha256}
        details: dict[str, object] = {"made_by": made, **(audit_details or {})}
        if active is not None:
            details.update(replaces=active.serial, grace_ends=grace_ends.isoformat())
        issued = _record(conn, ca, cert, kind="device", common_name=device_id, device_id=device_id,
                         request=request, hold_key=hold_key, now=now, actor=actor, clamped=clamped,
                         action="cert.renewed" if active is not None else "cert.issued", lineage=lineage,
                         details=details)
        _point_device_at(conn, device_id, existing, issued, ward=request.ou, location=location)
        if before_commit is not None:
            before_commit(issued)
    return issued


def _replaced(existing: schema.Row | None, device_id: str, *, renew: bool, renews: int | None
              ) -> schema.Row | None:
    """The certificate a new one replaces, or None; refuses what the request may not replace.

    Runs under the write lock, so "current" is the store's answer at the moment of issuing.
    """
    active = _usable(existing)
    if renews is not None:
        if existing is None or existing.id != renews or existing.revoked_at is not None:
            raise Superseded(f"{device_id} was renewed or revoked by another request a moment ago.")
        return existing
    if active is not None and not renew:
        expires = utc.from_epoch(active.not_after)
        raise ConflictError(f"{device_id} already has an active certificate (serial {active.serial}, expires "
                            f"{expires:%Y-%m-%d}): renew or revoke it first.")
    if renew and active is None:
        raise NotFoundError(f"{device_id} has no active certificate to renew: issue a new one instead.")
    return active


def _point_device_at(conn: Connection, device_id: str, existing: schema.Row | None, issued: Issued, *,
                     ward: str | None, location: str | None) -> None:
    """Make ``issued`` the device's current certificate; a ward or location not given keeps the old one."""
    changes: dict[str, object] = {"current_certificate_id": issued.record_id}
    if existing is not None:
        changes["ward"] = ward if ward is not None else existing.ward
        changes["location"] = location if location is not None else existing.location
    conn.execute(_UPDATE_DEVICE, {"b_device": device_id, **changes})


def issue_server(
    store: Store,
    ca: UnlockedCa,
    hostname: str,
    *,
    dns: Sequence[str] = (),
    ips: Sequence[str] = (),
    csr: bytes | x509.CertificateSigningRequest | None = None,
    generate: str | keys.PrivateKey | None = None,
    days: int | None = None,
    kind: str = "server",
    hold_key: bool = False,
    settings: Settings | None = None,
    now: datetime | None = None,
    actor: str | None = None,
    before_commit: Callable[[Issued], None] | None = None,
) -> Issued:
    """A serverAuth certificate for the telemetry server or the provisioning service.

    CN is the host name, which is also the first SAN entry; earlier certificates for the same host
    are marked superseded (servers rotate; nothing is revoked).
    """
    if kind == "server":  # the provisioning service's own certificate is its business
        require_role(store, Operation.SERVER_ISSUE, hostname)
    settings = settings or load_settings(store)
    now = utc.now(now)
    host = policy.check_hostname(hostname)
    extra = [policy.check_hostname(n) for n in dns]
    addresses = [policy.check_ip(ip) for ip in ips]
    names = profiles.server_names(host, extra, addresses)
    expected = [str(n.value) for n in names]
    request = _prepare(ca, what=host, common_name=host, csr=csr, generate=generate, ou=None,
                       expected_names=expected, client=False)
    not_before, not_after, clamped = _validity(ca, settings.server_days if days is None else days, now)
    urls = profiles.Urls(ca.info.crl_url(settings.crl_url), settings.ocsp_url, settings.ca_issuers_url)
    cert = profiles.leaf_certificate(
        ca_key=ca.key, ca_cert=ca.certificate, public_key=request.public_key,
        subject=profiles.leaf_subject(ca.issuer, host, request.ou),
        names=names, usage=profiles.SERVER_AUTH, not_before=not_before, not_after=not_after, urls=urls,
        issuer=ca.issuer)
    c = schema.certificates
    with store.write() as conn:
        # schema.NOT_A_DEVICE: the rows this makes (device_id NULL), stated so ix_certificates_cn serves it.
        conn.execute(update(c).where(and_(c.c.kind == kind, c.c.common_name == host, schema.NOT_A_DEVICE,
                                          c.c.superseded_at.is_(None), c.c.revoked_at.is_(None)))
                     .values(superseded_at=utc.to_epoch(now),
                             grace_ends_at=utc.to_epoch(now + timedelta(days=settings.renewal_grace_days))))
        issued = _record(conn, ca, cert, kind=kind, common_name=host, device_id=None, request=request,
                         hold_key=hold_key, now=now, actor=actor, clamped=clamped)
        if before_commit is not None:
            before_commit(issued)  # as in issue_device
    return issued
