"""A device's side of renewal (protocol §7.7) for tests: its identity on disk, and mutual-TLS requests.

``identity`` issues a device certificate straight into the service's store (as pairing would have, with
``made_by`` ``paired``), with an injected issue time when a test needs one that has already expired;
``reenroll`` and ``confirm`` speak to a running ``zmconsole serve`` with Python ``ssl``, presenting that
certificate in the handshake.
"""

from __future__ import annotations

import base64
import http.client
import ssl
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.support.service import Answer, RunningService, device_csr
from zmconsole.core import issuance
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.profiles import serial_hex
from zmconsole.core.store import Store

REENROLL = "/.well-known/est/simplereenroll"
CONFIRM = "/zmp/v1/renewal/confirm"
KEY_PASSWORD = "device keystore password"


@dataclass(frozen=True)
class Identity:
    device_id: str
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    cert_file: Path
    key_file: Path

    @property
    def serial(self) -> str:
        return serial_hex(self.certificate.serial_number)


def save(folder: Path, device_id: str, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> Identity:
    """Write the identity as a device keeps it (the key encrypted) into its own files."""
    name = f"{device_id}-{certificate.serial_number:x}"
    cert_file, key_file = folder / f"{name}.crt.pem", folder / f"{name}.key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.BestAvailableEncryption(KEY_PASSWORD.encode())))
    return Identity(device_id, key, certificate, cert_file, key_file)


def identity(store: Store, unlocked: UnlockedCa, device_id: str, folder: Path, *, now: datetime | None = None,
             days: int | None = None) -> Identity:
    """A device certificate in ``store`` as pairing leaves it, and its files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    issued = issuance.issue_device(store, unlocked, device_id, csr=device_csr(device_id, key),
                                   subject_from_profile=True, made_by="paired", now=now, days=days)
    return save(folder, device_id, key, issued.certificate)


def _mtls(service: RunningService, who: Identity | None, path: str, body: bytes,
          headers: dict[str, str]) -> Answer:
    context = service.client_context()
    if who is not None:
        context.load_cert_chain(who.cert_file, who.key_file, password=KEY_PASSWORD)
    connection = http.client.HTTPSConnection("127.0.0.1", service.https_port, context=context, timeout=30)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()


def reenroll(service: RunningService, who: Identity | None, csr_der: bytes) -> Answer:
    """``simplereenroll`` presenting ``who``'s certificate (None: no client certificate at all)."""
    return _mtls(service, who, REENROLL, base64.encodebytes(csr_der),
                 {"Content-Type": "application/pkcs10", "Content-Transfer-Encoding": "base64"})


def confirm(service: RunningService, who: Identity) -> Answer:
    return _mtls(service, who, CONFIRM, b"", {})


def new_key_request(device_id: str) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """A fresh key and its DER CSR, as a device renewing makes them."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key, device_csr(device_id, key)


def issued_certificate(answer: Answer) -> x509.Certificate:
    """The certificate in a successful EST answer (base64 certs-only CMS)."""
    assert answer.status == 200, (answer.status, answer.body)
    return pkcs7.load_der_pkcs7_certificates(base64.b64decode(answer.body))[0]


def renewed(service: RunningService, who: Identity, folder: Path) -> Identity:
    """Renew ``who`` with a new key; the new identity, saved beside the old one."""
    key, csr = new_key_request(who.device_id)
    return save(folder, who.device_id, key, issued_certificate(reenroll(service, who, csr)))


def no_handshake(service: RunningService, who: Identity, csr_der: bytes) -> bool:
    """True when the service refuses the handshake (or drops the connection) instead of answering."""
    try:
        reenroll(service, who, csr_der)
    except (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected):
        return True
    return False
