"""Acceptance for the CA hierarchy (issue 12), end to end on 127.0.0.1.

The root lives in one store (its key in a file) and the issuing CA in a second; a device pairs through the real
``zmconsole serve`` on the issuing store and then passes ``openssl verify -CAfile root.pem -untrusted
issuing.pem``. Debian's nginx, trusting only the root (``ssl_client_certificate``, ``ssl_verify_depth 2``)
with both CRLs, accepts it; refuses it once it is revoked; and refuses every device under the issuing CA once
the root revokes that CA. pkilint finds no ERROR or FATAL in the root, the issuing CA, a device, a server
certificate or either CRL. Then a second issuing CA takes over, and a device that renews moves to it without
pairing again.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from tests.e2e.conftest import KEY_PASSWORD, RELOAD_TIMEOUT
from tests.e2e.nginx import Nginx, nginx
from tests.support import cli, referees, zmdevice
from tests.support.service import RunningService, running_service
from tests.support.tls import free_port
from zmconsole.core.profiles import serial_hex
from zmconsole.device.revocation_cache import distribution_point

pytestmark = pytest.mark.slow  # runs zmconsole serve and nginx

SUBJECT = ("--org", "Hospital", "--country", "US", "--key", "ec-p384")


@dataclass
class Tree:
    work: Path
    root: Path  # the offline root's store
    issuing: Path  # the issuing CA's store, where the service runs
    root_pem: Path
    issuing_pem: Path
    server_dir: Path  # nginx's certificate from the issuing CA
    crls: Path  # what nginx reads: the issuing CA's CRL(s) and the root's, one PEM file

    def console(self, home: Path, *args: str | Path) -> cli.Result:
        return cli.ok(home, *args)

    def refresh_crls(self, *issuing_crls: Path) -> None:
        """Sign the issuing store's CRL(s) and the root's, and write them together for nginx."""
        self.console(self.issuing, "crl", "generate", "--out", self.work / "issuing-crl.pem", "--force")
        self.console(self.root, "crl", "generate", "--root", "--out", self.work / "root-crl.pem", "--force")
        parts = [self.work / "issuing-crl.pem", *issuing_crls, self.work / "root-crl.pem"]
        self.crls.write_bytes(b"".join(p.read_bytes() for p in parts))


def _roll(tree: Tree, name: str, number: int) -> Path:
    """``ca init --issuing`` in the issuing store, the root signs, the store installs: returns the new cert."""
    csr, crt = tree.work / f"{name}.csr", tree.work / f"{name}.crt"
    tree.console(tree.issuing, "ca", "init", "--issuing", "--request-out", csr, "--cn", f"ZM Issuing CA {number}",
                 *SUBJECT)
    tree.console(tree.root, "ca", "sign-issuing", csr, "--out", crt)
    tree.console(tree.issuing, "ca", "install-issuing", "--cert", crt, "--root", tree.root_pem)
    return crt


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    work = tmp_path_factory.mktemp("hierarchy")
    root, issuing = work / "root", work / "issuing"
    cli.ok(root, "ca", "init", "--root", "--cn", "ZM Root CA", *SUBJECT)
    root_pem = work / "root.pem"
    cli.ok(root, "ca", "export", "--out", root_pem)
    made = Tree(work, root, issuing, root_pem, work / "issuing-1.crt", work / "nginx-cert", work / "crls.pem")
    assert _roll(made, "issuing-1", 1) == made.issuing_pem
    password_file = work / "nginx-key-password"
    password_file.write_text(KEY_PASSWORD + "\n")
    cli.ok(issuing, "server", "issue", "127.0.0.1", "--ip", "127.0.0.1", "--generate-key", "--key", "ec-p256",
           "--key-password-file", password_file, "--out", made.server_dir)
    made.refresh_crls()
    return made


@pytest.fixture(scope="module")
def central(tree: Tree) -> Iterator[Nginx]:
    with nginx(tree.work / "nginx", cert=_server_chain(tree.server_dir),
               key=tree.server_dir / "127.0.0.1.key.pem", password_file=tree.work / "nginx-key-password",
               ca=tree.root_pem, crl=tree.crls, verify_depth=2) as server:
        yield server


def _server_chain(server_dir: Path) -> Path:
    """nginx's ssl_certificate: the server certificate, then the issuing CA and root (``ca.crt.pem``), so a
    device that trusts only the root can verify it."""
    full = server_dir / "fullchain.pem"
    full.write_bytes((server_dir / "127.0.0.1.crt.pem").read_bytes() + (server_dir / "ca.crt.pem").read_bytes())
    return full


def _pair(service: RunningService, tree: Tree, device_id: str) -> Path:
    qr = tree.work / f"{device_id}-{time.monotonic_ns()}.png"
    ticket: dict[str, Any] = service.pair(device_id, "--qr", qr)
    keystore = tree.work / "devices" / device_id
    paired = zmdevice.run("enroll", "--qr", qr, "--keystore", keystore, "--device-id", device_id,
                          code=str(ticket["pairing_code"]))
    assert paired.returncode == 0, str(paired)
    return keystore


def _smoke(central: Nginx, keystore: Path) -> zmdevice.Result:
    return zmdevice.run("smoke-test", "--keystore", keystore, "--url", central.url)


def _wait_refused(central: Nginx, keystore: Path) -> zmdevice.Result:
    """Poll (never assert on time) until nginx's new workers refuse the device after a reload."""
    deadline = time.monotonic() + RELOAD_TIMEOUT
    while True:
        result = _smoke(central, keystore)
        if result.returncode != 0 or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _verify_through_the_issuing_ca(tree: Tree, issuing_pem: Path, leaf: Path) -> None:
    ran = referees.openssl("verify", "-CAfile", tree.root_pem, "-untrusted", issuing_pem, leaf)
    assert ran.returncode == 0 and ": OK" in ran.output, ran.output


def _serial(keystore: Path) -> int:
    return x509.load_pem_x509_certificate((keystore / "device-cert.pem").read_bytes()).serial_number


def test_a_device_paired_on_the_issuing_store_chains_to_the_root(tree: Tree, central: Nginx) -> None:
    with running_service(tree.issuing) as service:
        keystore = _pair(service, tree, "ZM-101")
        other = _pair(service, tree, "ZM-102")
    pairing = json.loads((keystore / "pairing.json").read_text())
    root = x509.load_pem_x509_certificate(tree.root_pem.read_bytes())
    assert pairing["ca_fingerprint"] == root.fingerprint(hashes.SHA256()).hex()  # the QR pinned the root
    chain = x509.load_pem_x509_certificates((keystore / "ca-chain.pem").read_bytes())
    assert [c.subject.rfc4514_string() for c in chain] == ["CN=ZM Issuing CA 1,O=Hospital,C=US",
                                                           "CN=ZM Root CA,O=Hospital,C=US"]
    _verify_through_the_issuing_ca(tree, tree.issuing_pem, keystore / "device-cert.pem")

    passed = _smoke(central, keystore)
    assert passed.returncode == 0 and "Smoke test passed" in passed.stdout, str(passed) + central.log()
    assert _smoke(central, other).returncode == 0

    # the device is revoked: its CRL (from the issuing CA) lists it
    cli.ok(tree.issuing, "device", "revoke", "ZM-101", "--reason", "lost")
    tree.refresh_crls()
    central.reload()
    refused = _wait_refused(central, keystore)
    zmdevice.refused(refused, "revoked")
    assert _smoke(central, other).returncode == 0  # the other device is untouched

    # the root revokes the issuing CA: every device certificate from it is refused
    serial = x509.load_pem_x509_certificate(tree.issuing_pem.read_bytes()).serial_number
    cli.ok(tree.root, "ca", "revoke-issuing", f"{serial:X}", "--reason", "compromised")
    tree.refresh_crls()
    central.reload()
    refused = _wait_refused(central, other)
    assert refused.returncode != 0, str(refused)
    root_crl = x509.load_pem_x509_crl((tree.work / "root-crl.pem").read_bytes())
    assert root_crl.get_revoked_certificate_by_serial_number(serial) is not None


def test_pkilint_finds_nothing_serious(tree: Tree, tmp_path: Path) -> None:
    out = tmp_path / "device"
    cli.ok(tree.issuing, "device", "issue", "ZM-150", "--generate-key", "--key-password-file",
           tree.work / "nginx-key-password", "--out", out)
    cli.ok(tree.issuing, "server", "issue", "zm.hospital.example", "--generate-key", "--key-password-file",
           tree.work / "nginx-key-password", "--out", out)
    cli.ok(tree.issuing, "crl", "generate", "--out", tmp_path / "issuing.crl", "--der")
    cli.ok(tree.root, "crl", "generate", "--root", "--out", tmp_path / "root.crl", "--der")
    for cert in (tree.root_pem, tree.issuing_pem, out / "ZM-150.crt.pem", out / "zm.hospital.example.crt.pem"):
        assert referees.serious(referees.lint_certificate(cert)) == [], cert
    for crl in (tmp_path / "issuing.crl", tmp_path / "root.crl"):
        assert referees.serious(referees.lint_crl(crl)) == [], crl


def test_a_second_issuing_ca_takes_over_and_a_renewing_device_moves_to_it(tree: Tree, tmp_path: Path) -> None:
    # a fresh root and issuing store of its own, so the revocations above do not matter here
    work = tmp_path
    root, issuing = work / "root", work / "issuing"
    cli.ok(root, "ca", "init", "--root", "--cn", "ZM Root CA 2", *SUBJECT)
    root_pem = work / "root.pem"
    cli.ok(root, "ca", "export", "--out", root_pem)
    mine = Tree(work, root, issuing, root_pem, work / "first.crt", work / "nginx-cert", work / "crls.pem")
    _roll(mine, "first", 1)
    cli.ok(issuing, "config", "set", "device-days", "5")  # inside the 7-day renewal threshold
    publish = work / "published"
    cli.ok(issuing, "config", "set", "crl-publish-dir", publish)
    password_file = work / "nginx-key-password"
    password_file.write_text(KEY_PASSWORD + "\n")
    cli.ok(issuing, "server", "issue", "127.0.0.1", "--ip", "127.0.0.1", "--generate-key", "--key", "ec-p256",
           "--key-password-file", password_file, "--out", mine.server_dir)
    # fixed ports: the device's keystore holds the service's address, and the service restarts below
    ports = ("--listen", f"127.0.0.1:{free_port()}", "--http-listen", f"127.0.0.1:{free_port()}")
    with running_service(issuing, extra_args=ports) as service:
        keystore = _pair(service, mine, "ZM-201")
    cli.ok(issuing, "config", "set", "device-days", "365")  # what the renewal gets
    pinned = json.loads((keystore / "pairing.json").read_text())["ca_fingerprint"]
    old_serial = _serial(keystore)

    second = _roll(mine, "second", 2)
    shown = json.loads(cli.ok(issuing, "ca", "show", "--json").stdout)
    assert shown["subject"] == "CN=ZM Issuing CA 2,O=Hospital,C=US"
    assert [c["subject"] for c in shown["older"]] == ["CN=ZM Issuing CA 1,O=Hospital,C=US"]

    old_certificate = x509.load_pem_x509_certificate((keystore / "device-cert.pem").read_bytes())
    # The service unlocks the store's CA keys at start: restarted, it signs with the new issuing CA.
    with running_service(issuing, extra_args=ports) as service:
        checked = zmdevice.run("check", "--keystore", keystore)
        assert checked.returncode == 0, str(checked) + service.log()
        # each certificate's CRL distribution point serves the CRL of the CA that issued it
        renewed = x509.load_pem_x509_certificate((keystore / "device-cert.pem").read_bytes())
        for cert in (old_certificate, renewed):
            url = distribution_point(cert)
            assert url.startswith(service.crl_url + "-"), url
            with urllib.request.urlopen(url, timeout=30) as answer:
                crl = x509.load_der_x509_crl(answer.read())
            assert crl.issuer == cert.issuer
    assert _serial(keystore) != old_serial
    assert json.loads((keystore / "pairing.json").read_text())["ca_fingerprint"] == pinned  # no re-pairing
    device = x509.load_pem_x509_certificate((keystore / "device-cert.pem").read_bytes())
    assert device.issuer.rfc4514_string() == "CN=ZM Issuing CA 2,O=Hospital,C=US"
    _verify_through_the_issuing_ca(mine, second, keystore / "device-cert.pem")

    # both issuing CAs publish their CRLs: the old one's certificates have not expired yet
    mine.refresh_crls()
    first_serial = x509.load_pem_x509_certificate((work / "first.crt").read_bytes()).serial_number
    old_crl = publish / f"crl-{serial_hex(first_serial)}.pem"
    assert (publish / "crl.pem").exists() and old_crl.exists(), sorted(p.name for p in publish.iterdir())
    assert x509.load_pem_x509_crl(old_crl.read_bytes()).issuer.rfc4514_string() == \
        "CN=ZM Issuing CA 1,O=Hospital,C=US"
    mine.crls.write_bytes(mine.crls.read_bytes() + old_crl.read_bytes())
    with nginx(work / "nginx", cert=_server_chain(mine.server_dir),
               key=mine.server_dir / "127.0.0.1.key.pem", password_file=password_file, ca=root_pem, crl=mine.crls,
               verify_depth=2) as server:
        passed = _smoke(server, keystore)
        assert passed.returncode == 0 and "Smoke test passed" in passed.stdout, str(passed) + server.log()
