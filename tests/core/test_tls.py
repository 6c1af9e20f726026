"""A real mutual-TLS handshake on 127.0.0.1 (issue 2 "Acceptance"): a server configured with our CA and CRL
accepts a device certificate, rejects it once it is revoked and the CRL regenerated, and rejects a stranger's.

The keys are the ones the product delivers: generated here and written encrypted by ``exports.write_issued``.
"""

from __future__ import annotations

import shutil
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from tests.conftest import PASSPHRASE
from tests.support import pki, tls
from zmconsole.core import ca, exports, issuance, revocation
from zmconsole.core.store import Store

SERVER = "telemetry.hospital.example"
KEY_PASSWORD = "delivery password 1"


@dataclass(frozen=True)
class Files:
    cert: Path
    key: Path


def deliver(store: Store, issued: issuance.Issued, folder: Path) -> Files:
    exports.write_issued(store, issued, folder, password=KEY_PASSWORD)
    return Files(folder / f"{issued.common_name}.crt.pem", folder / f"{issued.common_name}.key.pem")


@dataclass
class Site:
    store: Store
    unlocked: ca.UnlockedCa
    folder: Path
    server: Files
    ca_file: Path

    def crl_file(self) -> Path:
        info = revocation.generate_crl(self.store, self.unlocked)
        path = self.folder / f"crl-{info.number}.pem"
        path.write_bytes(info.pem)
        return path

    def server_context(self) -> ssl.SSLContext:
        """A fresh server context with the CRL as it is now (a server reloads to see a new CRL)."""
        return tls.server_context(self.server.cert, self.server.key, key_password=KEY_PASSWORD, ca=self.ca_file,
                                  crl=self.crl_file())

    def device(self, device_id: str, key_type: str = "ec-p256") -> Files:
        issued = issuance.issue_device(self.store, self.unlocked, device_id, generate=key_type)
        return deliver(self.store, issued, self.folder / device_id)

    def client(self, device: Files | None) -> ssl.SSLContext:
        if device is None:
            return tls.client_context(self.ca_file)
        return tls.client_context(self.ca_file, device.cert, device.key, key_password=KEY_PASSWORD)


@pytest.fixture
def site(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> Site:
    server = issuance.issue_server(store, unlocked, SERVER, ips=["127.0.0.1"], generate="ec-p256")
    files = deliver(store, server, tmp_path / "server")
    return Site(store, unlocked, tmp_path, files, files.cert.parent / "ca.crt.pem")


@pytest.mark.parametrize("key_type", ["rsa2048", "ec-p256"])
def test_device_is_accepted_then_rejected_once_revoked(site: Site, key_type: str) -> None:
    device = site.device("ZM-001", key_type)
    bystander = site.device("ZM-002")

    accepted = tls.handshake(site.server_context(), site.client(device), server_hostname=SERVER)
    assert accepted.accepted, accepted
    assert accepted.received == tls.GREETING
    assert "ZM-001" in accepted.peer_subject

    revocation.revoke(site.store, "ZM-001", "lost")
    server = site.server_context()
    rejected = tls.handshake(server, site.client(device), server_hostname=SERVER)
    assert not rejected.accepted
    assert "certificate revoked" in rejected.server_error, rejected
    assert rejected.received == b""

    # The same CRL does not stop anybody else.
    other = tls.handshake(server, site.client(bystander), server_hostname=SERVER)
    assert other.accepted, other


def test_a_certificate_from_another_ca_is_rejected(site: Site, tmp_path: Path, ca_subject: x509.Name,
                                                   other_store: Store) -> None:
    other = ca.create(other_store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    stranger = deliver(other_store, issuance.issue_device(other_store, other, "ZM-001", generate="ec-p256"),
                       tmp_path / "stranger")
    result = tls.handshake(site.server_context(), site.client(stranger), server_hostname=SERVER)
    assert not result.accepted
    assert "unable to get local issuer certificate" in result.server_error, result


def test_a_client_without_a_certificate_is_rejected(site: Site) -> None:
    result = tls.handshake(site.server_context(), site.client(None), server_hostname=SERVER)
    assert not result.accepted
    assert "certificate" in result.server_error.lower(), result


def test_the_device_checks_the_server_name(site: Site) -> None:
    device = site.device("ZM-001")
    wrong_name = tls.handshake(site.server_context(), site.client(device), server_hostname="other.hospital.example")
    assert "Hostname mismatch" in wrong_name.client_error or "doesn't match" in wrong_name.client_error, wrong_name
    by_address = tls.handshake(site.server_context(), site.client(device), server_hostname="127.0.0.1")
    assert by_address.accepted, by_address


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_requires_and_checks_device_certificates(site: Site, tmp_path: Path) -> None:
    device = site.device("ZM-001")
    password_file = pki.write_text(tmp_path / "server-key-password", KEY_PASSWORD + "\n")
    config: dict[str, Any] = {"cert": site.server.cert, "key": site.server.key, "password_file": password_file,
              "ca": site.ca_file, "server_name": SERVER}

    with tls.nginx(tmp_path / "nginx-1", crl=site.crl_file(), **config) as nginx:
        url = f"https://127.0.0.1:{nginx.port}/"
        status, body = tls.https_get(url, site.client(device), server_hostname=SERVER)
        assert status == 200, (body, nginx.log())
        assert body.startswith("verified SUCCESS") and "CN=ZM-001" in body
        status, body = tls.https_get(url, site.client(None), server_hostname=SERVER)
        assert status == 400 and "No required SSL certificate was sent" in body

    revocation.revoke(site.store, "ZM-001", "compromised")
    with tls.nginx(tmp_path / "nginx-2", crl=site.crl_file(), **config) as nginx:
        status, body = tls.https_get(f"https://127.0.0.1:{nginx.port}/", site.client(device), server_hostname=SERVER)
        assert status == 400, body
        assert "certificate revoked" in nginx.log()
