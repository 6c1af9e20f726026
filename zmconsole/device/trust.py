"""What the device checks about certificates it receives, relative to the one CA it pinned.

Written out step by step rather than delegated to a path-building library, so a firmware team can port it
to whatever X.509 code their platform has (mbedTLS, wolfSSL, OpenSSL): walk up from the leaf by issuer
name, check each signature and validity period, and stop at the pinned CA certificate, which is trusted
because its SHA-256 equals the fingerprint read optically from the QR (docs/pairing-protocol.md §5.2). In a
hierarchy the pinned certificate is the root, and the issuing CA between it and the leaf is an intermediate:
a new issuing CA under the same root needs no new pairing.
The TLS connections themselves are verified by the TLS library against the same CA (``tls``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zmconsole.core import keys
from zmconsole.core.pairing.protocol import PAIRING_SIGNER_EKU, signer_key_id
from zmconsole.core.profiles import serial_hex
from zmconsole.device.troubleshooting import DeviceError, Issue

MAX_CHAIN = 4  # certificates between a leaf and the anchor: none for a single CA, one issuing CA under a root


def subject_of(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


def serial_of(certificate: x509.Certificate) -> str:
    return serial_hex(certificate.serial_number)


def check_validity(certificate: x509.Certificate, now: datetime, what: str) -> None:
    """``now`` inside the certificate's validity period, else the seed's "expired" or "clock skew" advice."""
    if now < certificate.not_valid_before_utc:
        raise DeviceError(
            f"{what} ({subject_of(certificate)}) is not valid until {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} "
            f"UTC, but this device's clock says {now:%Y-%m-%d %H:%M} UTC: the clock is probably behind.",
            Issue.CLOCK_SKEW,
        )
    if now > certificate.not_valid_after_utc:
        raise DeviceError(
            f"{what} ({subject_of(certificate)}) expired on {certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC "
            f"(device clock: {now:%Y-%m-%d %H:%M} UTC).",
            Issue.EXPIRED,
        )


def _issued_by(child: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        child.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def verify_chain(leaf: x509.Certificate, intermediates: Sequence[x509.Certificate], anchor: x509.Certificate,
                 *, now: datetime, what: str) -> None:
    """``leaf`` chains to ``anchor`` through ``intermediates`` (any order), every link valid at ``now``."""
    check_validity(anchor, now, "The pinned platform CA certificate")
    current = leaf
    for _ in range(MAX_CHAIN + 1):
        check_validity(current, now, what if current is leaf else "An intermediate CA certificate")
        if current.issuer == anchor.subject and _issued_by(current, anchor):
            return
        parent = next((c for c in intermediates if c.subject == current.issuer and _is_ca(c)
                       and c != current and _issued_by(current, c)), None)
        if parent is None:
            break
        current = parent
    raise DeviceError(
        f"{what} ({subject_of(leaf)}, issuer {leaf.issuer.rfc4514_string()}) does not chain to the platform CA "
        f"this device pinned ({subject_of(anchor)}): it was not issued by this hospital's CA. Create a new "
        "pairing code on the console and pair again."
    )


def _extended_key_usages(certificate: x509.Certificate) -> list[x509.ObjectIdentifier]:
    try:
        return list(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        return []


def check_signer(chain: Sequence[x509.Certificate], anchor: x509.Certificate, *, key_id: bytes,
                 now: datetime) -> ec.EllipticCurvePublicKey:
    """The pairing signer's public key, after the checks of docs/pairing-protocol.md §5.3.

    ``chain`` is what ``GET /zmp/v1/signers/<key id>`` returned: the signer certificate first.
    """
    if not chain:
        raise DeviceError("The provisioning service sent no pairing signer certificate: check the service.")
    signer, rest = chain[0], [c for c in chain[1:] if c != anchor]
    what = "The pairing signer certificate"
    verify_chain(signer, rest, anchor, now=now, what=what)
    public = signer.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey) or not isinstance(public.curve, ec.SECP256R1):
        raise DeviceError(f"{what} ({subject_of(signer)}) does not hold an EC P-256 key: it cannot sign pairing "
                          "codes. Check the provisioning service's signer.")
    if signer_key_id(public) != key_id:
        raise DeviceError(f"{what} is for key {signer_key_id(public).hex()}, not the key {key_id.hex()} that "
                          "signed the pairing code: check the provisioning service.")
    if _is_ca(signer):
        raise DeviceError(f"{what} ({subject_of(signer)}) is a CA certificate; a signer must be an end entity.")
    try:
        usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
        signs = usage.digital_signature
    except x509.ExtensionNotFound:
        signs = False
    if not signs or PAIRING_SIGNER_EKU not in _extended_key_usages(signer):
        raise DeviceError(f"{what} ({subject_of(signer)}) is not authorised to sign pairing codes (it needs "
                          f"keyUsage digitalSignature and the pairing signer EKU {PAIRING_SIGNER_EKU.dotted_string}).")
    return public


def check_device_certificate(certificate: x509.Certificate, intermediates: Sequence[x509.Certificate],
                             anchor: x509.Certificate, *, device_id: str, private_key: keys.PrivateKey,
                             now: datetime) -> None:
    """What the device checks before installing its certificate (docs/pairing-protocol.md §7.2, §7.3)."""
    what = f"The certificate received for {device_id}"
    if keys.spki(certificate.public_key()) != keys.spki(private_key):
        raise DeviceError(f"{what} (serial {serial_of(certificate)}) is for another key than this device's: "
                          "it was not issued for this enrollment. Pair the device again.")
    if common_name(certificate) != device_id:
        raise DeviceError(f"{what} names {common_name(certificate) or 'no device'} (subject "
                          f"{subject_of(certificate)}), not {device_id}: pair the device again.")
    if ExtendedKeyUsageOID.CLIENT_AUTH not in _extended_key_usages(certificate) or _is_ca(certificate):
        raise DeviceError(f"{what} (serial {serial_of(certificate)}) is not a TLS client certificate (no "
                          "clientAuth extended key usage): check the console's device profile.")
    verify_chain(certificate, intermediates, anchor, now=now, what=what)
