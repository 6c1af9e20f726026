"""The pairing signer: the EC P-256 key that signs QR payloads and provisioning bundles (docs/pairing-protocol.md §5.3).

Its certificate comes from the platform CA and carries ``PAIRING_SIGNER_EKU`` as its only extended key usage,
which device certificates never carry, so no device key can sign a payload or a bundle. The key is kept in
``held_keys``, sealed under the CA key: console and service both hold the unlocked CA, so they share one
signer, and whoever makes the first pairing (or starts the service first) creates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import Connection, and_, select, update

from zmconsole.core import audit, profiles, schema, sealing, utc
from zmconsole.core.ca import UnlockedCa, require_leaf_signer
from zmconsole.core.errors import ConflictError
from zmconsole.core.pairing import protocol
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

SIGNER_KIND = "signer"
#: An operator's own pairing signer (core/operators.py): its key sealed under the operator's password.
OPERATOR_SIGNER_KIND = "operator-signer"
SIGNER_KINDS = (SIGNER_KIND, OPERATOR_SIGNER_KIND)
SIGNER_COMMON_NAME = "Z Monitor pairing signer"
SIGNER_RENEW_BEFORE = timedelta(days=30)

_c = schema.certificates


@dataclass(frozen=True)
class Signer:
    """The pairing signer: an EC P-256 key whose certificate from the platform CA carries the signer EKU."""

    key: ec.EllipticCurvePrivateKey = field(repr=False)
    certificate: x509.Certificate
    issuer: x509.Certificate
    serial: str
    root: x509.Certificate | None = None  # above an issuing CA: the root devices pin

    @property
    def key_id(self) -> bytes:
        return protocol.signer_key_id(self.key.public_key())

    @property
    def anchor(self) -> x509.Certificate:
        """What devices pin (the QR's CA fingerprint): the root above an issuing CA, else the CA itself."""
        return self.root or self.issuer

    @property
    def chain_pem(self) -> bytes:
        """Signer certificate, then the platform CA (and its root): the body of ``GET /zmp/v1/signers/<id>``."""
        return _pem(self.certificate, self.issuer, self.root)


def _pem(*certificates: x509.Certificate | None) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates if c is not None)


def _current_signer_row(conn: Connection, ca: UnlockedCa, now: datetime) -> schema.Row | None:
    horizon = utc.to_epoch(now + SIGNER_RENEW_BEFORE)
    return conn.execute(
        select(_c.c.id, _c.c.serial, _c.c.der, schema.held_keys.c.sealed)
        .join(schema.held_keys, schema.held_keys.c.certificate_id == _c.c.id)
        .where(and_(_c.c.kind == SIGNER_KIND, _c.c.ca_id == ca.info.id, _c.c.revoked_at.is_(None),
                    _c.c.superseded_at.is_(None), _c.c.not_after > horizon))
        .order_by(_c.c.issued_at.desc(), _c.c.id.desc()).limit(1)).first()


def _open_signer(row: schema.Row, ca: UnlockedCa) -> Signer:
    key = sealing.unseal(row.sealed, ca.key, label=row.serial)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return Signer(key, x509.load_der_x509_certificate(row.der), ca.certificate, row.serial, ca.info.parent)


def ensure_signer(store: Store, ca: UnlockedCa, *, settings: Settings | None = None, now: datetime | None = None,
                  actor: str | None = None) -> Signer:
    """The current pairing signer, made on first use and replaced 30 days before it expires.

    Its key is kept in ``held_keys``, sealed under the CA key, so console and service (both holding the
    unlocked CA) share one signer. The certificate's only extended key usage is
    ``PAIRING_SIGNER_EKU``; device certificates never carry it.
    """
    now = utc.now(now)
    with store.read() as conn:
        row = _current_signer_row(conn, ca, now)
    if row is not None:
        return _open_signer(row, ca)
    settings = settings or load_settings(store)  # only a new signer needs them
    with store.write() as conn:
        return signer_in(conn, ca, settings, now, actor)


def signer_in(conn: Connection, ca: UnlockedCa, settings: Settings, now: datetime, actor: str | None) -> Signer:
    """:func:`ensure_signer` inside the caller's write transaction (``prepare`` makes it with the pairing)."""
    row = _current_signer_row(conn, ca, now)  # another process may have made one meanwhile
    if row is not None:
        return _open_signer(row, ca)
    require_leaf_signer(ca)
    key = ec.generate_private_key(ec.SECP256R1())
    conn.execute(update(_c).where(and_(_c.c.kind == SIGNER_KIND, _c.c.superseded_at.is_(None),
                                       _c.c.revoked_at.is_(None))).values(superseded_at=utc.to_epoch(now)))
    cert, record_id = certify(conn, ca, key, settings, now, kind=SIGNER_KIND, common_name=SIGNER_COMMON_NAME)
    serial = profiles.serial_hex(cert.serial_number)
    conn.execute(schema.held_keys.insert().values(certificate_id=record_id, created_at=utc.to_epoch(now),
                                                  sealed=sealing.seal(key, ca.key, label=serial)))
    signer = Signer(key, cert, ca.certificate, serial, ca.info.parent)
    audit.append(conn, "pairing.signer_issued", SIGNER_COMMON_NAME,
                 {"serial": serial, "key_id": signer.key_id.hex(),
                  "not_after": cert.not_valid_after_utc.isoformat()}, actor=actor, now=now)
    return signer


def certify(conn: Connection, ca: UnlockedCa, key: ec.EllipticCurvePrivateKey, settings: Settings, now: datetime, *,
            kind: str, common_name: str) -> tuple[x509.Certificate, int]:
    """Issue and record a signer certificate for ``key`` (the shared signer's or an operator's); returns it
    and its row id. Its only extended key usage is ``PAIRING_SIGNER_EKU``."""
    require_leaf_signer(ca)
    not_after = min(now + timedelta(days=settings.server_days), ca.info.not_after)
    if not_after <= now + timedelta(days=1):
        raise ConflictError(f"The platform CA expires on {ca.info.not_after:%Y-%m-%d}: set up a new CA before "
                            "pairing devices.")
    cert = profiles.leaf_certificate(
        ca_key=ca.key, ca_cert=ca.certificate, public_key=key.public_key(),
        subject=profiles.leaf_subject(ca.certificate.subject, common_name, None),
        names=[x509.DNSName(f"pairing-signer.{settings.device_dns_domain}")],
        usage=protocol.PAIRING_SIGNER_EKU, not_before=now - profiles.CLOCK_SKEW, not_after=not_after,
        urls=profiles.Urls(ca.info.crl_url(settings.crl_url), settings.ocsp_url, settings.ca_issuers_url))
    record_id = conn.execute(_c.insert().values(
        serial=profiles.serial_hex(cert.serial_number), kind=kind, common_name=common_name, device_id=None,
        ca_id=ca.info.id, not_before=utc.to_epoch(cert.not_valid_before_utc),
        not_after=utc.to_epoch(cert.not_valid_after_utc), issued_at=utc.to_epoch(now),
        key_type="ec-p256", key_source="generated", fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        der=cert.public_bytes(serialization.Encoding.DER))).inserted_primary_key[0]  # type: ignore[index]
    return cert, int(record_id)


def signer_chain(store: Store, key_id: bytes, *, now: datetime | None = None) -> bytes | None:
    """PEM chain (signer, platform CA, and the root above an issuing CA) of the unexpired, unrevoked signer
    with this key id, or None.

    Operators' signers answer too, until their operator is disabled (which revokes the signer). Superseded
    signers still answer until they expire: a QR made just before a rotation names the old one, and so may one
    made just before the issuing CA rolled over.
    """
    now = utc.now(now)
    with store.read() as conn:
        rows = conn.execute(
            select(_c.c.der, schema.cas.c.cert_der, schema.cas.c.parent_der)
            .join(schema.cas, schema.cas.c.id == _c.c.ca_id)
            .where(and_(_c.c.kind.in_(SIGNER_KINDS), _c.c.revoked_at.is_(None), _c.c.not_after > utc.to_epoch(now)))
            ).all()
    for row in rows:
        cert = x509.load_der_x509_certificate(row.der)
        public = cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey) and protocol.signer_key_id(public) == key_id:
            root = None if row.parent_der is None else x509.load_der_x509_certificate(row.parent_der)
            return _pem(cert, x509.load_der_x509_certificate(row.cert_der), root)
    return None
