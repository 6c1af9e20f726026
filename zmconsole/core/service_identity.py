"""The provisioning service's own TLS identity: a serverAuth certificate from the platform CA, and its key.

The certificate is obtained on first start for the host name and listen addresses, and its key is kept in
the store sealed under the CA key (``held_keys``), so a restart reuses it; a new one is issued when the
names change or the old one is within 30 days of expiry. The service turns it into an SSL context; how
it is found and kept is the core's business, so the service never reads the store's tables itself.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from sqlalchemy import and_, select

from zmconsole.core import issuance, keys, schema, sealing, utc
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


def service_identity(store: Store, ca: UnlockedCa, hostname: str, ips: list[Address], *,
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
            key = sealing.unseal(row.sealed, ca.key, label=row.serial)
            return Identity(cert, key, ca.chain, row.serial, issued_now=False)
    issued = issuance.issue_server(store, ca, hostname, ips=[str(ip) for ip in ips], generate="ec-p256", kind=KIND,
                                   hold_key=True, now=now)
    assert issued.private_key is not None
    return Identity(issued.certificate, issued.private_key, issued.chain, issued.serial, issued_now=True)
