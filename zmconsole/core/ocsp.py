"""OCSP responses (RFC 6960) from the store, signed by the platform CA itself (in a hierarchy, the issuing CA
that issued the certificate asked about).

A CA-signed response needs no delegated responder certificate (RFC 6960
§4.2.2.2: the responder may be the CA that issued the certificate), which
keeps the trust picture the devices already pin. The service puts this behind
``POST /ocsp`` (and ``GET /ocsp/<base64>``) on the plain-HTTP listener:
responses are signed, like CRLs, so they need no TLS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from sqlalchemy import select

from zmconsole.core import schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.keys import signature_hash
from zmconsole.core.profiles import serial_hex
from zmconsole.core.revocation import REASONS
from zmconsole.core.store import Store

#: How long a relying party may cache a response; matches a day's CRL cadence.
VALIDITY = timedelta(hours=24)
MAX_REQUEST_BYTES = 16 * 1024
#: RFC 8954 §2.1: a nonce is 1 to 32 octets. A longer one is answered without it, never echoed.
MAX_NONCE_OCTETS = 32
#: The CertID hashes a response can be built with (what ``OCSPResponseBuilder`` signs over); MD5 is not one.
HASHES = (hashes.SHA1, hashes.SHA224, hashes.SHA256, hashes.SHA384, hashes.SHA512)


class Refused(Exception):
    """An OCSP request this responder will not answer with a status; ``status`` is the OCSPResponseStatus
    to send instead (``malformedRequest`` or ``unauthorized``, RFC 6960 §2.3). Nothing else escapes
    :func:`parse_request` or :func:`respond`."""

    def __init__(self, status: ocsp.OCSPResponseStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Query:
    """What one OCSP request asks, once it is known to be well formed."""

    algorithm: hashes.HashAlgorithm
    issuer_name_hash: bytes
    issuer_key_hash: bytes
    serial: int
    nonce: bytes | None  # to echo (RFC 8954); None when absent or too long to echo


def _malformed(reason: str) -> Refused:
    return Refused(ocsp.OCSPResponseStatus.MALFORMED_REQUEST, reason)


def parse_request(request_der: bytes) -> Query:
    """Read a DER OCSPRequest for one certificate; raises :class:`Refused` for anything else.

    Refused as malformed: an oversized or undecodable request, more than one certificate, a CertID hash
    other than SHA-1/SHA-2 (MD5, unknown OIDs) or of the wrong length, a negative serial (RFC 5280
    §4.1.2.2: serials are positive), duplicated extensions, an empty nonce.
    """
    if len(request_der) > MAX_REQUEST_BYTES:
        raise _malformed(f"the request exceeds {MAX_REQUEST_BYTES} bytes")
    try:
        request = ocsp.load_der_ocsp_request(request_der)
        algorithm = request.hash_algorithm
        serial = request.serial_number
        name_hash, key_hash = request.issuer_name_hash, request.issuer_key_hash
        extensions = request.extensions
    except UnsupportedAlgorithm:
        raise _malformed("the CertID hash algorithm is not SHA-1 or SHA-2") from None
    except (ValueError, x509.DuplicateExtension):
        raise _malformed("the request is not a DER OCSPRequest for one certificate") from None
    if not isinstance(algorithm, HASHES):
        raise _malformed(f"the CertID hash {algorithm.name} is not accepted")
    if len(name_hash) != algorithm.digest_size or len(key_hash) != algorithm.digest_size:
        raise _malformed(f"the CertID hashes are not {algorithm.digest_size} bytes long")
    if serial < 0:
        raise _malformed("the serial number is negative")
    nonce = None
    for extension in extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            nonce = extension.value.nonce
            if not nonce:
                raise _malformed("the nonce is empty")
            if len(nonce) > MAX_NONCE_OCTETS:
                nonce = None
    return Query(algorithm, name_hash, key_hash, serial, nonce)


def _failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def _subject_public_key(ca_cert: x509.Certificate) -> bytes:
    """The value of the certificate's subjectPublicKey BIT STRING (what RFC 6960 §4.1.1 hashes)."""
    key = ca_cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    if isinstance(key, rsa.RSAPublicKey):
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    raise TypeError(f"a platform CA has an RSA or EC key, not {type(key).__name__}")


def _issuer_hashes(ca_cert: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    name = hashes.Hash(algorithm)
    name.update(ca_cert.subject.public_bytes())
    key = hashes.Hash(algorithm)
    key.update(_subject_public_key(ca_cert))
    return name.finalize(), key.finalize()


def respond(store: Store, ca: UnlockedCa, request_der: bytes, *, now: datetime | None = None) -> bytes:
    """A DER OCSPResponse for a DER OCSPRequest: good, revoked or unknown, signed by the CA that issued the
    certificate (after an issuing CA rolled over, the earlier one for its own certificates); or an unsigned
    ``malformedRequest``/``unauthorized`` when the request cannot be answered (see :func:`parse_request`)."""
    try:
        query = parse_request(request_der)
    except Refused as refused:
        return _failure(refused.status)
    # The CA of this store the request names: the active one, or an earlier issuing CA for its certificates.
    issuer = next((one for one in ca.every if (query.issuer_name_hash, query.issuer_key_hash)
                   == _issuer_hashes(one.certificate, query.algorithm)), None)
    if issuer is None:
        return _failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)  # not our CA: we are not authoritative
    now = utc.now(now)
    c = schema.certificates
    with store.read() as conn:
        row = conn.execute(select(c.c.der, c.c.revoked_at, c.c.revocation_reason, c.c.superseded_at,
                                  schema.GRACE_ENDS.label("grace_ends"))
                           .where(c.c.serial == serial_hex(query.serial), c.c.ca_id == issuer.info.id)).first()
    builder = ocsp.OCSPResponseBuilder()
    if row is None:  # RFC 6960 §2.2: a serial this CA never issued is "unknown"
        builder = builder.add_response_by_hash(
            issuer_name_hash=query.issuer_name_hash, issuer_key_hash=query.issuer_key_hash,
            serial_number=query.serial, algorithm=query.algorithm, cert_status=ocsp.OCSPCertStatus.UNKNOWN,
            this_update=now, next_update=now + VALIDITY, revocation_time=None, revocation_reason=None)
        return _signed(builder, query, issuer)
    cert = x509.load_der_x509_certificate(row.der)
    status, revoked_at, reason = ocsp.OCSPCertStatus.GOOD, None, None
    grace_end = None if row.superseded_at is None else row.grace_ends
    if row.revoked_at is not None:
        status = ocsp.OCSPCertStatus.REVOKED
        revoked_at = utc.from_epoch(row.revoked_at)
        reason = REASONS.get(row.revocation_reason or "")
    elif grace_end is not None and grace_end <= utc.to_epoch(now):
        status = ocsp.OCSPCertStatus.REVOKED
        revoked_at = utc.from_epoch(grace_end)
        reason = x509.ReasonFlags.superseded
    builder = builder.add_response(
        cert=cert, issuer=issuer.certificate, algorithm=query.algorithm, cert_status=status, this_update=now,
        next_update=now + VALIDITY, revocation_time=revoked_at, revocation_reason=reason,
    )
    return _signed(builder, query, issuer)


def _signed(builder: ocsp.OCSPResponseBuilder, query: Query, ca: UnlockedCa) -> bytes:
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, ca.certificate)
    if query.nonce is not None:  # echo the nonce (RFC 8954) against replays
        builder = builder.add_extension(x509.OCSPNonce(query.nonce), critical=False)
    return builder.sign(ca.key, signature_hash(ca.key)).public_bytes(serialization.Encoding.DER)
