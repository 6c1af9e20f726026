"""OCSP responses (RFC 6960) from the store, signed by the platform CA itself.

A CA-signed response needs no delegated responder certificate (RFC 6960
§4.2.2.2: the responder may be the CA that issued the certificate), which
keeps the trust picture the devices already pin. The service puts this behind
``POST /ocsp`` (and ``GET /ocsp/<base64>``) on the plain-HTTP listener:
responses are signed, like CRLs, so they need no TLS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from sqlalchemy import select

from zmconsole.core import schema
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.keys import signature_hash
from zmconsole.core.profiles import serial_hex
from zmconsole.core.revocation import GRACE, REASONS
from zmconsole.core.store import Store

#: How long a relying party may cache a response; matches a day's CRL cadence.
VALIDITY = timedelta(hours=24)
MAX_REQUEST_BYTES = 16 * 1024


def _failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _issuer_hashes(ca_cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    name = hashes.Hash(algorithm)
    name.update(ca_cert.subject.public_bytes())
    spki = ca_cert.public_key().public_bytes(serialization.Encoding.DER,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    # The key hash covers the subjectPublicKey BIT STRING's value, not the whole SPKI (RFC 6960 §4.1.1).
    key = hashes.Hash(algorithm)
    key.update(_subject_public_key_bits(spki))
    return name.finalize(), key.finalize()


def _subject_public_key_bits(spki: bytes) -> bytes:
    """The contents of the BIT STRING inside a DER SubjectPublicKeyInfo, minus its unused-bits byte."""

    def read(data: bytes, at: int) -> tuple[int, int, int]:
        tag, size = data[at], data[at + 1]
        at += 2
        if size & 0x80:
            count = size & 0x7F
            size = int.from_bytes(data[at:at + count], "big")
            at += count
        return tag, at, size

    _, body, _ = read(spki, 0)  # SEQUENCE
    _, alg_body, alg_size = read(spki, body)  # AlgorithmIdentifier
    _, bits_body, bits_size = read(spki, alg_body + alg_size)  # BIT STRING
    return spki[bits_body + 1:bits_body + bits_size]


def respond(store: Store, ca: UnlockedCa, request_der: bytes, *, now: datetime | None = None) -> bytes:
    """A DER OCSPResponse for a DER OCSPRequest: good, revoked or unknown, signed by the CA."""
    if len(request_der) > MAX_REQUEST_BYTES:
        return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    try:
        request = ocsp.load_der_ocsp_request(request_der)
        algorithm = request.hash_algorithm
        serial = request.serial_number
        issuer_name_hash, issuer_key_hash = request.issuer_name_hash, request.issuer_key_hash
    except (ValueError, NotImplementedError):
        return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    if (issuer_name_hash, issuer_key_hash) != _issuer_hashes(ca.certificate, algorithm):
        return _failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)  # not our CA: we are not authoritative
    c = schema.certificates
    with store.read() as conn:
        row = conn.execute(select(c.c.der, c.c.revoked_at, c.c.revocation_reason, c.c.superseded_at)
                           .where(c.c.serial == serial_hex(serial), c.c.ca_id == ca.info.id)).first()
    builder = ocsp.OCSPResponseBuilder()
    if row is None:  # RFC 6960 §2.2: a serial this CA never issued is "unknown"
        builder = builder.add_response_by_hash(
            issuer_name_hash=issuer_name_hash, issuer_key_hash=issuer_key_hash, serial_number=serial,
            algorithm=algorithm, cert_status=ocsp.OCSPCertStatus.UNKNOWN, this_update=now,
            next_update=now + VALIDITY, revocation_time=None, revocation_reason=None)
        return _signed(builder, request, ca)
    cert = x509.load_der_x509_certificate(row.der)
    status, revoked_at, reason = ocsp.OCSPCertStatus.GOOD, None, None
    grace_end = None if row.superseded_at is None else row.superseded_at + int(GRACE.total_seconds())
    if row.revoked_at is not None:
        status = ocsp.OCSPCertStatus.REVOKED
        revoked_at = datetime.fromtimestamp(row.revoked_at, UTC)
        reason = REASONS.get(row.revocation_reason or "")
    elif grace_end is not None and grace_end <= now.timestamp():
        status = ocsp.OCSPCertStatus.REVOKED
        revoked_at = datetime.fromtimestamp(grace_end, UTC)
        reason = x509.ReasonFlags.superseded
    builder = builder.add_response(
        cert=cert, issuer=ca.certificate, algorithm=algorithm, cert_status=status, this_update=now,
        next_update=now + VALIDITY, revocation_time=revoked_at, revocation_reason=reason,
    )
    return _signed(builder, request, ca)


def _signed(builder: ocsp.OCSPResponseBuilder, request: ocsp.OCSPRequest, ca: UnlockedCa) -> bytes:
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, ca.certificate)
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):  # echo the nonce (RFC 8954) against replays
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(ca.key, signature_hash(ca.key)).public_bytes(serialization.Encoding.DER)
