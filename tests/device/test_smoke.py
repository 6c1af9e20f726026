"""The mTLS smoke test against real Python ``ssl`` servers on 127.0.0.1, and its troubleshooting wording
(DOC-PROC-023 §9): wrong CA, expired, not yet valid, revoked (by TLS alert and by nginx-style HTTP 400)."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from tests.device.conftest import SECRET, now
from tests.device.pki import Pki
from tests.device.servers import CrlPoint, https_site, server_context
from zmconsole.device import keystore, smoke, tls
from zmconsole.device.troubleshooting import DeviceError, Issue

Site = Callable[..., str]


def _smoke(identity: keystore.Identity, url: str, **kwargs: object) -> smoke.Passed:
    options: dict[str, object] = {"secret": SECRET, "now": now(), **kwargs}
    return smoke.smoke_test(identity.directory, url, **options)  # type: ignore[arg-type]


def _refused(identity: keystore.Identity, url: str, issue: Issue | None, *words: str, **kwargs: object) -> str:
    with pytest.raises(DeviceError) as raised:
        _smoke(identity, url, **kwargs)
    message = str(raised.value)
    assert raised.value.issue is issue, message
    if issue is not None:
        assert f"{issue.label}): {issue.resolution}." in message, message
    for word in words:
        assert word in message, message
    return message


def _context(pki: Pki, tmp_path: Path, **kwargs: object) -> ssl.SSLContext:
    cert, key = pki.server(tmp_path / "site", **kwargs)  # type: ignore[arg-type]
    return server_context(cert, key, client_ca=pki.pem)


def test_passes_with_mutual_tls_and_http_200(enrolled: keystore.Identity, pki: Pki, tmp_path: Path) -> None:
    with https_site(_context(pki, tmp_path)) as url:
        passed = _smoke(enrolled, url)
    assert passed.status == 200 and passed.device_id == "ZM-001"
    assert passed.tls_version in ("TLSv1.2", "TLSv1.3")


def test_tls_1_2_is_enough(enrolled: keystore.Identity, pki: Pki, tmp_path: Path) -> None:
    context = _context(pki, tmp_path)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with https_site(context) as url:
        assert _smoke(enrolled, url).tls_version == "TLSv1.2"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_tls_1_1_is_refused(enrolled: keystore.Identity, pki: Pki, tmp_path: Path) -> None:
    context = _context(pki, tmp_path)
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with https_site(context) as url:
        _refused(enrolled, url, None, "does not speak TLS 1.2 or newer")


def test_a_server_from_another_ca_is_untrusted(enrolled: keystore.Identity, tmp_path: Path) -> None:
    other = Pki("Other CA")
    with https_site(_context(other, tmp_path)) as url:
        _refused(enrolled, url, Issue.WRONG_CA, "does not chain to this device's platform CA")


def test_an_expired_server_certificate(enrolled: keystore.Identity, pki: Pki, tmp_path: Path) -> None:
    context = _context(pki, tmp_path, not_before=now() - timedelta(days=400), not_after=now() - timedelta(days=1))
    with https_site(context) as url:
        _refused(enrolled, url, Issue.EXPIRED, "its certificate has expired")


def test_a_server_certificate_not_yet_valid_means_clock_skew(enrolled: keystore.Identity, pki: Pki,
                                                             tmp_path: Path) -> None:
    context = _context(pki, tmp_path, not_before=now() + timedelta(days=1))
    with https_site(context) as url:
        _refused(enrolled, url, Issue.CLOCK_SKEW, "is not valid yet by this device's clock")


def test_the_host_name_is_checked(enrolled: keystore.Identity, pki: Pki, tmp_path: Path) -> None:
    with https_site(_context(pki, tmp_path)) as url:  # the certificate names only 127.0.0.1
        _refused(enrolled, url.replace("127.0.0.1", "localhost"), None, "issued for another host name")


def test_own_certificate_expired_by_the_device_clock(enrolled: keystore.Identity) -> None:
    _refused(enrolled, "https://127.0.0.1:1/", Issue.EXPIRED, "This device's certificate (CN=ZM-001", "expired on",
             now=now() + timedelta(days=400))


def test_own_certificate_not_yet_valid_by_the_device_clock(enrolled: keystore.Identity) -> None:
    _refused(enrolled, "https://127.0.0.1:1/", Issue.CLOCK_SKEW, "is not valid until", now=now() - timedelta(days=1))


def test_revoked_refused_by_tls_alert(enrolled: keystore.Identity, pki: Pki, tmp_path: Path,
                                      crl_point: CrlPoint) -> None:
    crl_point.crl = pki.crl([enrolled.certificate.serial_number])
    crl_file = tmp_path / "crl.der"
    crl_file.write_bytes(crl_point.crl)
    cert, key = pki.server(tmp_path / "site")
    with https_site(server_context(cert, key, client_ca=pki.pem, crl_file=crl_file)) as url:
        message = _refused(enrolled, url, Issue.REVOKED, "refused this device's certificate", "was revoked on",
                           "reason: keyCompromise")
    assert "Reprovision device" in message


def _serial_is(identity: keystore.Identity) -> Callable[[x509.Certificate | None], bool]:
    return lambda peer: peer is not None and peer.serial_number == identity.certificate.serial_number


def test_revoked_refused_by_http_400_like_nginx(enrolled: keystore.Identity, pki: Pki, tmp_path: Path,
                                               crl_point: CrlPoint) -> None:
    with https_site(_context(pki, tmp_path), refuse=_serial_is(enrolled)) as url:
        crl_point.crl = pki.crl([enrolled.certificate.serial_number])  # revoked after the device cached a CRL
        _refused(enrolled, url, Issue.REVOKED, "HTTP 400", "was revoked on")
    assert crl_point.hits >= 2, "the diagnosis fetched a fresh CRL"


def test_http_400_while_not_revoked_points_at_the_servers_ca(enrolled: keystore.Identity, pki: Pki,
                                                              tmp_path: Path) -> None:
    with https_site(_context(pki, tmp_path), refuse=_serial_is(enrolled)) as url:
        _refused(enrolled, url, Issue.WRONG_CA, "not revoked per the CRL of", "does not trust this device's")


def test_http_400_without_a_usable_crl_says_so(enrolled: keystore.Identity, pki: Pki, tmp_path: Path,
                                               crl_point: CrlPoint) -> None:
    crl_point.crl = b""  # the distribution point is down (404), and the cached CRL grows old
    with https_site(_context(pki, tmp_path), refuse=_serial_is(enrolled)) as url:
        message = _refused(enrolled, url, None, "cannot tell whether it was revoked", "over the 48 h limit",
                           now=now() + timedelta(hours=50))
    assert "Reprovision device" in message


def test_other_http_errors_are_not_blamed_on_the_certificate(enrolled: keystore.Identity, pki: Pki,
                                                             tmp_path: Path) -> None:
    with https_site(_context(pki, tmp_path)) as url:
        _refused(enrolled, url + "missing", None, "succeeded", "HTTP 404")  # https_site only knows GET /


def test_a_wrong_secret_or_loose_permissions_are_refused(enrolled: keystore.Identity) -> None:
    with pytest.raises(DeviceError, match="keystore secret does not open the device key"):
        _smoke(enrolled, "https://127.0.0.1:1/", secret=b"not the secret at all")
    os.chmod(enrolled.key_file, 0o640)
    with pytest.raises(DeviceError, match="readable by others"):
        _smoke(enrolled, "https://127.0.0.1:1/")


def test_nothing_listening_is_a_clear_error(enrolled: keystore.Identity) -> None:
    with pytest.raises(tls.NotAServer, match="connection refused"):
        _smoke(enrolled, "https://127.0.0.1:1/")
