"""The mTLS smoke test (DOC-PROC-023 §2.1 step 6, §5 step 5) and the diagnosis of a refusal.

The device connects with its new identity: TLS 1.2 or newer, the server's chain verified against the
platform CA in the keystore, the host name or IP address checked (§6.1). Then it makes one HTTP GET, because
a server does not always refuse a client certificate with a TLS alert: nginx, for one, completes the
handshake with a revoked certificate and answers ``400 Bad Request`` ("The SSL certificate error"; 495 and
496 internally). On such an answer, or an alert, or a connection dropped after the handshake, the device
fetches a fresh CRL (falling back to its cached one while that is under 48 h old) and says why it was
refused, with the seed's troubleshooting wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509

from zmconsole.device import keystore, revocation_cache, tls, trust
from zmconsole.device.enroll import issuer_of
from zmconsole.device.troubleshooting import DeviceError, Issue

REFUSED_STATUSES = (400, 495, 496)  # nginx: bad / no client certificate (RFC-less, see module docstring)


@dataclass(frozen=True)
class Passed:
    url: str
    status: int
    tls_version: str
    cipher: str
    server_subject: str
    device_id: str
    serial: str
    crl: revocation_cache.Refresh


def smoke_test(directory: Path, url: str, *, secret: bytes, now: datetime,
               fetch: revocation_cache.Fetcher = revocation_cache.http_fetch) -> Passed:
    """Connect to ``url`` with the keystore's identity; return what was established, or raise why not."""
    identity = keystore.load(directory)
    keystore.require_private(directory)
    tls.origin(url)
    device_id = trust.common_name(identity.certificate)
    trust.check_validity(identity.certificate, now, "This device's certificate")
    crl = _refresh(identity, now=now, fetch=fetch, force=False)  # the daily CRL refresh, best effort
    context = tls.client_context(identity.anchor, certificate_file=identity.certificate_file,
                                 key_file=identity.key_file, key_password=secret,
                                 intermediates=identity.intermediates)
    try:
        answer = tls.request(url, context, path=urlsplit(url).path or "/")
    except tls.TlsAlert as alert:
        raise diagnose(identity, url, f"TLS alert '{alert.alert}'", alert.issue,
                       now=now, fetch=fetch) from None
    except tls.ConnectionDropped:
        raise diagnose(identity, url, "the server closed the connection after the handshake", None, now=now,
                       fetch=fetch) from None
    if answer.status in REFUSED_STATUSES:
        raise diagnose(identity, url, f"HTTP {answer.status}", None, now=now, fetch=fetch)
    if answer.status >= 400:
        raise DeviceError(f"The mTLS handshake with {url} succeeded ({answer.tls_version}), but the server answered "
                          f"HTTP {answer.status} to GET {urlsplit(url).path or '/'}: the certificate is fine; check "
                          "the server's configuration for that path.")
    return Passed(url, answer.status, answer.tls_version, answer.cipher,
                  answer.server_certificate.subject.rfc4514_string(), device_id,
                  trust.serial_of(identity.certificate), crl)


def _refresh(identity: keystore.Identity, *, now: datetime, fetch: revocation_cache.Fetcher,
             force: bool) -> revocation_cache.Refresh:
    url = revocation_cache.distribution_point(identity.certificate) or identity.crl_url
    return revocation_cache.refresh(identity.directory, url, issuer_of(identity), now=now, force=force, fetch=fetch)


def diagnose(identity: keystore.Identity, url: str, how: str, hint: Issue | None, *, now: datetime,
             fetch: revocation_cache.Fetcher = revocation_cache.http_fetch) -> DeviceError:
    """Why the server at ``url`` refused this device: revoked (per a usable CRL), or the hint, or unknown."""
    certificate = identity.certificate
    device_id, serial = trust.common_name(certificate), trust.serial_of(certificate)
    what = f"The server at {url} refused this device's certificate ({device_id}, serial {serial}; {how})"
    refresh = _refresh(identity, now=now, fetch=fetch, force=True)  # a revocation may be minutes old
    cached = refresh.cached
    if cached is None or not cached.usable(now):
        why = refresh.problem or "no CRL was ever fetched"
        if cached is not None:
            why += (f"; the cached CRL is {revocation_cache.describe_age(cached.age(now))} old, over the "
                    f"{revocation_cache.MAX_AGE.total_seconds() / 3600:.0f} h limit")
        if hint is not None:
            return DeviceError(f"{what}; no usable CRL confirms it ({why}).", hint)
        return DeviceError(f"{what}, and the device cannot tell whether it was revoked: {why}. Ask IT whether "
                           f"{device_id} was revoked; if it was: Reprovision device.")
    source = f"the CRL of {cached.this_update:%Y-%m-%d %H:%M} UTC"
    entry = cached.revocation(certificate.serial_number)
    if entry is not None:
        return DeviceError(f"{what}: the certificate was revoked on {entry.revocation_date_utc:%Y-%m-%d %H:%M} UTC "
                           f"(reason: {_reason(entry)}), per {source}.", Issue.REVOKED)
    if hint is Issue.REVOKED:
        return DeviceError(f"{what}: the server says the certificate was revoked ({source}, which the device "
                           "holds, does not list it yet).", Issue.REVOKED)
    if hint is not None:
        return DeviceError(f"{what}.", hint)
    return DeviceError(f"{what}, although the certificate is valid and not revoked per {source}: the server "
                       f"probably does not trust this device's platform CA ({trust.subject_of(identity.anchor)}).",
                       Issue.WRONG_CA)


def _reason(entry: x509.RevokedCertificate) -> str:
    try:
        return str(entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.value)
    except x509.ExtensionNotFound:
        return "unspecified"
