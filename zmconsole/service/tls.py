"""The service's own TLS identity: a serverAuth certificate from the platform CA, and its SSL context.

The certificate is obtained on first start for the host name and listen address, and its key is kept in
the store sealed under the CA key (``held_keys``), so a restart reuses it; a new one is issued when the
names change or the old one is within 30 days of expiry. Python's ``ssl`` module reads keys only from
files, so the key is written, encrypted under a random password that exists only in memory, to a 0600
file in a 0700 temporary directory that is deleted as soon as OpenSSL has read it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import ssl
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import and_, select

from zmconsole.core import issuance, keys, schema, utc
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store

KIND = "provisioning"  # apart from "server", so issuing one never supersedes a telemetry server's certificate
RENEW_BEFORE = timedelta(days=30)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Identity:
    certificate: x509.Certificate
    key: keys.PrivateKey = field(repr=False)
    chain: tuple[x509.Certificate, ...]
    serial: str
    issued_now: bool


def _names(cert: x509.Certificate) -> tuple[set[str], set[Address]]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set(), set()
    addresses = {ip for ip in san.get_values_for_type(x509.IPAddress) if isinstance(ip, Address)}
    return set(san.get_values_for_type(x509.DNSName)), addresses


def server_identity(store: Store, ca: UnlockedCa, hostname: str, ips: list[Address], *,
                    now: datetime | None = None) -> Identity:
    """The service's certificate and key for ``hostname`` and ``ips``: the stored one if it still fits."""
    now = utc.now(now)
    c, h = schema.certificates, schema.held_keys
    with store.read() as conn:
        rows = conn.execute(
            select(c.c.serial, c.c.der, h.c.sealed).join(h, h.c.certificate_id == c.c.id)
            .where(and_(c.c.kind == KIND, c.c.common_name == hostname, schema.NOT_A_DEVICE, c.c.ca_id == ca.info.id,
                        c.c.revoked_at.is_(None), c.c.superseded_at.is_(None),
                        c.c.not_after > utc.to_epoch(now + RENEW_BEFORE)))
            .order_by(c.c.issued_at.desc())).all()
    for row in rows:
        cert = x509.load_der_x509_certificate(row.der)
        dns, addresses = _names(cert)
        if hostname in dns and set(ips) <= addresses:
            key = keys.unseal(row.sealed, ca.key, label=row.serial)
            return Identity(cert, key, (ca.certificate,), row.serial, issued_now=False)
    issued = issuance.issue_server(store, ca, hostname, ips=[str(ip) for ip in ips], generate="ec-p256", kind=KIND,
                                   hold_key=True, now=now)
    assert issued.private_key is not None
    return Identity(issued.certificate, issued.private_key, issued.chain, issued.serial, issued_now=True)


def server_context(identity: Identity) -> ssl.SSLContext:
    """A TLS 1.2+ server context holding ``identity``; no key ever touches the disk unencrypted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_COMPRESSION
    # TLS 1.2 with forward secrecy and AEAD only (TLS 1.3 suites are all AEAD): no CBC, no static RSA.
    context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL")
    password = secrets.token_urlsafe(32)
    encrypted = identity.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.BestAvailableEncryption(password.encode()))
    chain = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in (identity.certificate, *identity.chain))
    with tempfile.TemporaryDirectory(prefix="zmconsole-tls-") as folder:  # created 0700
        key_path, cert_path = Path(folder, "key.pem"), Path(folder, "chain.pem")
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(encrypted)
        cert_path.write_bytes(chain)
        context.load_cert_chain(cert_path, key_path, password=password)
    return context
