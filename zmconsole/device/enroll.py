"""Pairing, device side: docs/pairing-protocol.md §5-§9, step by step, in the order the document gives.

1. Decode the QR text; refuse another device's code before any network traffic (§5.1).
2. Pin the provisioning server: unverified ``cacerts``, fingerprint check, then verified TLS only (§5.2).
3. Fetch and check the pairing signer certificate; verify the payload's signature, device ID, expiry (§5.3-5.4).
4. Derive the code keys and prove the code (§6); the code itself never leaves the device.
5. Device key mode: generate EC P-256 and a CSR here, EST ``simpleenroll`` (§7.2). Console key mode: pull the
   signed bundle, verify it, open the sealed key (§7.3, §8).
6. Check what came back (our key, our device ID, ``clientAuth``, chains to the pinned CA) and install it
   atomically into the encrypted keystore (§9); then fetch the CRL, best effort.

Everything that can be checked without spending the one-time token (QR layout, device ID, code format,
keystore secret, keystore location, a CA change) is checked before the first request.
"""

from __future__ import annotations

import base64
import binascii
import json
import ssl
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from zmconsole.core import keys
from zmconsole.core.pairing import bundle as zmb
from zmconsole.core.pairing import protocol as zmp
from zmconsole.device import keystore, revocation_cache, tls, trust
from zmconsole.device.troubleshooting import DeviceError

ENROLL_PATH = "/.well-known/est/simpleenroll"
BUNDLE_PATH = "/zmp/v1/bundle"
SIGNERS_PATH = "/zmp/v1/signers/"
REENROLL_PATH = ".well-known/est/simplereenroll"


class ServiceRefusal(DeviceError):
    """The provisioning service answered with an error (docs/pairing-protocol.md §7.1); ``code`` is its code."""

    def __init__(self, message: str, code: str, status: int) -> None:
        self.code = code
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Enrolled:
    identity: keystore.Identity
    key_mode: zmp.KeyMode
    key_type: str
    crl: revocation_cache.Refresh


@dataclass(frozen=True)
class _Received:
    certificate: x509.Certificate
    intermediates: tuple[x509.Certificate, ...]
    private_key: keys.PrivateKey
    crl_url: str
    ocsp_url: str | None
    renewal_url: str


def enroll(*, qr_text: str, code: str, directory: Path, secret: bytes, now: datetime,
           device_id: str | None = None, timeout: float = tls.TIMEOUT) -> Enrolled:
    """Pair this device from the QR text and the typed code; install its identity in ``directory``.

    ``device_id`` is the device's own identity (a monitor knows its serial); without it, this simulator
    takes the QR's word for it.
    """
    payload = zmp.decode_payload(qr_text)
    own_id = zmp.check_device_id(device_id) if device_id is not None else payload.device_id
    if payload.device_id != own_id:  # §5.1: before any network traffic; verify_payload checks it again
        raise DeviceError(f"This pairing QR code is for {payload.device_id}, but this device is {own_id}: scan "
                          f"the code the console shows for {own_id}.")
    code = zmp.normalize_pairing_code(code)
    keystore.check_installable(directory)
    _refuse_ca_change(directory, payload)

    url = payload.provisioning_url
    anchor = tls.fetch_pinned_ca(url, payload.ca_fingerprint, timeout=timeout)
    context = tls.client_context(anchor)  # from here on, only verified connections (§5.2 step 3)
    signer = fetch_signer(url, context, anchor, payload.signer_key_id, now=now, timeout=timeout)
    zmp.verify_payload(payload, signer, expected_device_id=own_id, now=now)

    code_keys = zmp.derive_code_keys(payload.token, own_id, code)
    if payload.key_mode is zmp.KeyMode.DEVICE_KEY:
        received = _simpleenroll(url, context, payload, code_keys, own_id, timeout=timeout)
    else:
        received = _pull_bundle(url, context, anchor, signer, payload, code_keys, own_id, now=now, timeout=timeout)
    del code_keys  # §9: forget the code keys; Python cannot overwrite them, a C port zeroes the buffers
    trust.check_device_certificate(received.certificate, received.intermediates, anchor, device_id=own_id,
                                   private_key=received.private_key, now=now)

    facts = {
        "ca_fingerprint": payload.ca_fingerprint.hex(),
        "signer_key_id": payload.signer_key_id.hex(),
        "provisioning_url": url,
        "crl_url": received.crl_url,
        "ocsp_url": received.ocsp_url,
        "renewal_url": received.renewal_url,
        "paired_at": now.isoformat(timespec="seconds"),
    }
    try:
        keystore.install(directory, certificate=received.certificate, ca_chain=(*received.intermediates, anchor),
                         private_key=received.private_key, secret=secret, facts=facts)
    except OSError as error:
        raise DeviceError(
            f"{own_id}'s certificate (serial {trust.serial_of(received.certificate)}) was issued but cannot be "
            f"installed in {directory} ({error.strerror or error}); the pairing code is used up. Free the disk or "
            "fix the directory, create a new pairing code on the console, and revoke that serial."
        ) from None
    identity = keystore.load(directory)
    crl_url = revocation_cache.distribution_point(identity.certificate) or identity.crl_url
    crl = revocation_cache.refresh(directory, crl_url, issuer_of(identity), now=now, force=True)
    return Enrolled(identity, payload.key_mode, keys.describe(received.private_key), crl)


def issuer_of(identity: keystore.Identity) -> x509.Certificate:
    """The CA certificate in the keystore that issued the device certificate (and signs its CRL)."""
    return next((c for c in identity.ca_chain if c.subject == identity.certificate.issuer), identity.anchor)


def _refuse_ca_change(directory: Path, payload: zmp.PairingPayload) -> None:
    """§5.2: a device that already trusts a platform CA refuses a QR pinning another one."""
    if not keystore.exists(directory):
        return
    current = keystore.load(directory)
    if current.ca_fingerprint != payload.ca_fingerprint.hex():
        raise DeviceError(
            f"This device already trusts the platform CA {_short(current.ca_fingerprint)} (keystore {directory}), "
            f"and this QR code pins another CA ({_short(payload.ca_fingerprint.hex())}): a paired device does not "
            "switch to another PKI. If that is intended, a technician resets the device to factory state (removes "
            "the keystore) first."
        )


def _short(fingerprint_hex: str) -> str:
    """The first 16 hex digits in groups of four, as the console shows them (§11)."""
    digits = fingerprint_hex[:16].upper()
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


# --- talking to the service -------------------------------------------------------------------------


def call(url: str, context: ssl.SSLContext, path: str, *, method: str = "GET",
          headers: dict[str, str] | None = None, body: bytes = b"", timeout: float) -> tls.Response:
    answer = tls.request(url, context, method=method, path=path, headers=headers, body=body, timeout=timeout)
    if answer.status == 200:
        return answer
    try:
        error = json.loads(answer.body)["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "", ""
    if not message:
        raise ServiceRefusal(f"The provisioning service at {url} answered HTTP {answer.status} to {path} without an "
                             "explanation: check the service's log.", code, answer.status)
    raise ServiceRefusal(f"The provisioning service refused the request ({code}): {message}", code, answer.status)


def fetch_signer(url: str, context: ssl.SSLContext, anchor: x509.Certificate, key_id: bytes, *,
                 now: datetime, timeout: float = tls.TIMEOUT) -> ec.EllipticCurvePublicKey:
    """§5.3: the pairing signer's key, from a certificate chaining to the pinned CA with the signer EKU."""
    answer = call(url, context, SIGNERS_PATH + key_id.hex(), timeout=timeout)
    try:
        chain = x509.load_pem_x509_certificates(answer.body)
    except ValueError:
        raise DeviceError(f"The provisioning service at {url} sent a pairing signer certificate that is not PEM: "
                          "check the service.") from None
    return trust.check_signer(chain, anchor, key_id=key_id, now=now)


def _pairing_headers(payload: zmp.PairingPayload, device_id: str, proof: bytes) -> dict[str, str]:
    return {
        "ZM-Device-Id": device_id,
        "ZM-Enrollment-Token": payload.token.hex(),
        "ZM-Code-Proof": proof.hex(),
    }


def _simpleenroll(url: str, context: ssl.SSLContext, payload: zmp.PairingPayload, code_keys: zmp.CodeKeys,
                  device_id: str, *, timeout: float) -> _Received:
    """§7.2: the key is generated here and never leaves the device; only the CSR does."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, device_id)]))
           .sign(key, hashes.SHA256()))
    der = csr.public_bytes(serialization.Encoding.DER)
    proof = zmp.make_code_proof(code_keys.auth_key, purpose=zmp.ProofPurpose.ENROLL, token=payload.token,
                                device_id=device_id, body=der)
    headers = _pairing_headers(payload, device_id, proof)
    headers.update({"Content-Type": "application/pkcs10", "Content-Transfer-Encoding": "base64"})
    answer = call(url, context, ENROLL_PATH, method="POST", headers=headers, body=base64.b64encode(der),
                   timeout=timeout)
    certificates = tls.parse_certs_only(answer.body, "certificate sent by the provisioning service")
    mine = [c for c in certificates if keys.spki(c.public_key()) == keys.spki(key)]
    if not mine:
        raise DeviceError(f"The provisioning service sent no certificate for this device's key (it sent "
                          f"{len(certificates)}): the enrollment cannot be used. Pair the device again.")
    certificate = mine[0]
    return _Received(certificate, tuple(c for c in certificates if c is not certificate), key,
                     crl_url=revocation_cache.distribution_point(certificate), ocsp_url=_ocsp_url(certificate),
                     renewal_url=url + REENROLL_PATH)


def _pull_bundle(url: str, context: ssl.SSLContext, anchor: x509.Certificate, signer: ec.EllipticCurvePublicKey,
                 payload: zmp.PairingPayload, code_keys: zmp.CodeKeys, device_id: str, *, now: datetime,
                 timeout: float) -> _Received:
    """§7.3 and §8: verify the signature over the bytes received, then open the sealed key."""
    proof = zmp.make_code_proof(code_keys.auth_key, purpose=zmp.ProofPurpose.BUNDLE, token=payload.token,
                                device_id=device_id, body=b"")
    answer = call(url, context, BUNDLE_PATH, method="POST", headers=_pairing_headers(payload, device_id, proof),
                   timeout=timeout)
    try:
        signature = bytes.fromhex(answer.headers.get("zm-bundle-signature", ""))
        key_id = bytes.fromhex(answer.headers.get("zm-signer-key-id", payload.signer_key_id.hex()))
    except ValueError:
        signature, key_id = b"", payload.signer_key_id
    if key_id != payload.signer_key_id:  # the service may sign bundles with its own signer (§5.3)
        signer = fetch_signer(url, context, anchor, key_id, now=now, timeout=timeout)
    bundle = zmb.verify_bundle(answer.body, signature, signer, expected_device_id=device_id, token=payload.token)
    try:
        sealed = base64.b64decode(cast(str, bundle["sealed_key"]), validate=True)
    except binascii.Error:
        raise DeviceError("The provisioning bundle's sealed key is not base64: pair the device again.") from None
    der = zmp.open_key(code_keys.enc_key, sealed, token=payload.token, device_id=device_id)
    try:
        key = serialization.load_der_private_key(der, password=None)
        certificate = x509.load_pem_x509_certificate(cast(str, bundle["certificate"]).encode("ascii"))
        chain = x509.load_pem_x509_certificates(cast(str, bundle["ca_chain"]).encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise DeviceError("The provisioning bundle holds a key or certificate that cannot be read: pair the "
                          "device again.") from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise DeviceError(f"The provisioning bundle holds a {type(key).__name__}; devices use RSA or EC keys.")
    return _Received(certificate, tuple(c for c in chain if c != anchor), key,
                     crl_url=cast(str, bundle["crl_url"]), ocsp_url=cast("str | None", bundle["ocsp_url"]),
                     renewal_url=cast(str, bundle["renewal_url"]))


def _ocsp_url(certificate: x509.Certificate) -> str | None:
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for description in access:
        if description.access_method == AuthorityInformationAccessOID.OCSP:
            return str(description.access_location.value)
    return None
