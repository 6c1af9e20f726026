"""The device's CRL: fetched from its certificate's distribution point, cached in the keystore, up to 48 h old.

DOC-PROC-023 §8: "Distribute CRL daily; cache up to 48h offline". The device refreshes its copy once it is a
day old (:data:`REFRESH_AFTER`) or past its ``nextUpdate``, and treats a CRL as unusable once it is more than
48 hours old (:data:`MAX_AGE`). Age is counted from the CRL's own ``thisUpdate``, which the CA signed, not
from when the device downloaded it: a network attacker can withhold a CRL or replay an old one (docs/
pairing-protocol.md §11), but cannot make an old CRL look new. For the same reason a fetched CRL never
replaces a cached one with a later ``thisUpdate``.

The CRL comes over plain HTTP (RFC 5280 §4.2.1.13; docs/pairing-protocol.md §7.6): it is signed by the
platform CA, and the device checks that signature against the CA it pinned before using or caching it.
The device's own use of the CRL is diagnostic: servers enforce revocation (seed §6.2); the device reads
the CRL to tell a technician *why* a server refused it.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from zmconsole.device import keystore
from zmconsole.device.troubleshooting import DeviceError

MAX_AGE = timedelta(hours=48)
REFRESH_AFTER = timedelta(hours=24)
TIMEOUT = 10.0
MAX_CRL = 4 << 20  # bytes

Fetcher = Callable[[str], bytes]


@dataclass(frozen=True)
class CachedCrl:
    crl: x509.CertificateRevocationList
    fetched_at: datetime  # when the device obtained this copy (the file's modification time)

    @property
    def this_update(self) -> datetime:
        return self.crl.last_update_utc

    @property
    def next_update(self) -> datetime | None:
        return self.crl.next_update_utc

    def age(self, now: datetime) -> timedelta:
        return now - self.this_update

    def usable(self, now: datetime) -> bool:
        """Not older than 48 h (and not from the future by more than the clock could be off)."""
        return -timedelta(minutes=5) <= self.age(now) <= MAX_AGE

    def due(self, now: datetime) -> bool:
        """Time to fetch a new one: a day old, or past the CA's announced ``nextUpdate``."""
        return self.age(now) >= REFRESH_AFTER or (self.next_update is not None and now >= self.next_update)

    def revocation(self, serial: int) -> x509.RevokedCertificate | None:
        return self.crl.get_revoked_certificate_by_serial_number(serial)


@dataclass(frozen=True)
class Refresh:
    """The outcome of :func:`refresh`: the CRL to use (if any), and what happened on the way."""

    cached: CachedCrl | None
    fetched: bool
    problem: str  # why no fresh CRL was obtained ("" if one was, or none was needed)


def distribution_point(certificate: x509.Certificate) -> str:
    """The first http(s) URL of the certificate's CRL distribution points ("" if it names none)."""
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return ""
    for point in points:
        for name in point.full_name or []:
            if isinstance(name, x509.UniformResourceIdentifier) and name.value.startswith(("http://", "https://")):
                return str(name.value)
    return ""


def http_fetch(url: str) -> bytes:
    """GET ``url`` over plain HTTP, without proxies or redirects; the caller verifies the CRL's signature."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise DeviceError(f"The CRL address {url!r} is not an http:// URL: CRLs are fetched over plain HTTP "
                          "(RFC 5280); check the console's crl-url setting.")
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept": "application/pkix-crl"})
        answer = connection.getresponse()
        data = answer.read(MAX_CRL + 1)
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise DeviceError(f"Cannot fetch the CRL from {url} ({getattr(error, 'strerror', None) or error!r}).") \
            from None
    finally:
        connection.close()
    if answer.status != 200 or len(data) > MAX_CRL:
        raise DeviceError(f"The CRL server {url} answered HTTP {answer.status} with {len(data)} bytes.")
    return data


def parse_verified(data: bytes, issuer: x509.Certificate, source: str) -> x509.CertificateRevocationList:
    """A CRL (DER or PEM) signed by ``issuer``; anything else is refused."""
    try:
        crl = (x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----")
               else x509.load_der_x509_crl(data))
    except ValueError:
        raise DeviceError(f"The CRL from {source} is not a CRL (neither DER nor PEM).") from None
    if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
        raise DeviceError(f"The CRL from {source} is not signed by the platform CA "
                          f"({issuer.subject.rfc4514_string()}): ignored.")
    return crl


def load(directory: Path, issuer: x509.Certificate) -> CachedCrl | None:
    """The cached CRL, re-verified (the file could have been replaced); ``None`` if none is usable."""
    path = directory / keystore.CRL_FILE
    try:
        data, mtime = path.read_bytes(), path.stat().st_mtime
    except FileNotFoundError:
        return None
    try:
        crl = parse_verified(data, issuer, str(path))
    except DeviceError:
        return None
    return CachedCrl(crl, datetime.fromtimestamp(mtime, UTC))


def refresh(directory: Path, url: str, issuer: x509.Certificate, *, now: datetime, force: bool = False,
            fetch: Fetcher = http_fetch) -> Refresh:
    """Fetch a new CRL if the cached one is due (or ``force``), keep whichever is newer, and return it.

    A failed fetch is not an error here: the cached CRL stays in use while it is usable, and ``problem`` says
    what went wrong for the caller to report.
    """
    cached = load(directory, issuer)
    if cached is not None and not force and not cached.due(now):
        return Refresh(cached, fetched=False, problem="")
    if not url:
        return Refresh(cached, False, "the device certificate names no CRL distribution point")
    try:
        crl = parse_verified(fetch(url), issuer, url)
    except DeviceError as error:
        return Refresh(cached, False, str(error))
    if cached is not None and crl.last_update_utc < cached.this_update:
        return Refresh(cached, False, f"{url} served a CRL older than the cached one (a replay?); kept the cached one")
    keystore.replace_private(directory / keystore.CRL_FILE, crl.public_bytes(Encoding.DER), mtime=now.timestamp())
    return Refresh(CachedCrl(crl, now), fetched=True, problem="")


def describe_age(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours * 60:.0f} min" if abs(hours) < 1 else f"{hours:.1f} h"

