"""Referees we did not write (issue 2 "Acceptance"): ``openssl verify`` (with and without the CRL),
``openssl crl -text``, and pkilint's RFC 5280 certificate and CRL linters, under an RSA-4096 and an EC P-384 CA."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509

from tests.conftest import build_csr
from tests.support import pki, referees
from zmconsole.core import ca, issuance, keys, profiles, revocation, settings
from zmconsole.core.store import Store

SERVER = "telemetry.hospital.example"
URLS = {"crl-url": "http://pki.hospital.example/zm.crl", "ocsp-url": "http://ocsp.hospital.example/",
        "ca-issuers-url": "http://pki.hospital.example/zm-ca.crt"}


@dataclass
class Issued:
    """The files a relying party would get: the CA, the leaves by name, and the CRL once made."""

    folder: Path
    ca_file: Path
    leaves: dict[str, Path]

    def crl(self, store: Store, unlocked: ca.UnlockedCa, **kwargs: object) -> tuple[Path, revocation.CrlInfo]:
        info = revocation.generate_crl(store, unlocked, **kwargs)  # type: ignore[arg-type]
        path = self.folder / f"crl-{info.number}.pem"
        path.write_bytes(info.pem)
        return path, info


def issue_everything(store: Store, unlocked: ca.UnlockedCa, folder: Path) -> Issued:
    """Device certificates in both key modes with RSA and EC keys, and a server certificate with DNS + IP SANs."""
    folder.mkdir(exist_ok=True)
    rsa_csr = build_csr("ZM-001", key=keys.generate("rsa2048"))
    ec_csr = build_csr("ZM-002", key=keys.generate("ec-p256"))
    leaves = {
        "ZM-001": issuance.issue_device(store, unlocked, "ZM-001", csr=rsa_csr),
        "ZM-002": issuance.issue_device(store, unlocked, "ZM-002", csr=ec_csr),
        "ZM-003": issuance.issue_device(store, unlocked, "ZM-003", generate="rsa2048", ward="ICU"),
        "ZM-004": issuance.issue_device(store, unlocked, "ZM-004", generate="ec-p256", ward="ICU"),
        SERVER: issuance.issue_server(store, unlocked, SERVER, dns=["telemetry.icu.hospital.example"],
                                      ips=["10.0.0.5", "127.0.0.1"], generate="ec-p256"),
        "prov": issuance.issue_server(store, unlocked, "prov.hospital.example", ips=["::1"], generate="rsa2048"),
    }
    paths = {name: pki.write_pem(folder / f"{name}.crt.pem", i.certificate) for name, i in leaves.items()}
    return Issued(folder, pki.write_pem(folder / "ca.crt.pem", unlocked.certificate), paths)


@pytest.fixture
def issued(store: Store, any_ca: ca.UnlockedCa, tmp_path: Path) -> Issued:
    return issue_everything(store, any_ca, tmp_path / "out")


def lint_all(paths: list[Path], *, crls: tuple[Path, ...] = ()) -> dict[Path, list[referees.Finding]]:
    """Run pkilint over every file, two at a time (each run is a separate process)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        certs = dict(zip(paths, pool.map(referees.lint_certificate, paths), strict=True))
        certs.update(zip(crls, pool.map(referees.lint_crl, crls), strict=True))
    return certs


def test_openssl_verify_accepts_every_issued_certificate(issued: Issued) -> None:
    for name, path in issued.leaves.items():
        purpose = "sslserver" if "." in name or name == "prov" else "sslclient"
        ran = referees.verify(issued.ca_file, path, purpose=purpose)
        assert ran.returncode == 0, (name, ran.output)
        assert ran.stdout.strip() == f"{path}: OK"
    # The CA's own certificate verifies against itself.
    assert referees.verify(issued.ca_file, issued.ca_file).returncode == 0


def test_openssl_verify_with_the_crl_rejects_a_revoked_certificate(issued: Issued, store: Store,
                                                                   any_ca: ca.UnlockedCa) -> None:
    crl, _ = issued.crl(store, any_ca)
    before = referees.verify(issued.ca_file, issued.leaves["ZM-002"], crl_file=crl)
    assert before.returncode == 0, before.output

    revocation.revoke(store, "ZM-002", "lost")
    server_serial = profiles.serial_hex(
        x509.load_pem_x509_certificate(issued.leaves["prov"].read_bytes()).serial_number)
    revocation.revoke(store, server_serial, "superseded")
    crl, _ = issued.crl(store, any_ca)
    for name in ("ZM-002", "prov"):
        after = referees.verify(issued.ca_file, issued.leaves[name], crl_file=crl)
        assert after.returncode != 0, (name, after.output)
        assert "certificate revoked" in after.output, after.output
    for name in ("ZM-001", "ZM-003", "ZM-004", SERVER):
        still = referees.verify(issued.ca_file, issued.leaves[name], crl_file=crl)
        assert still.returncode == 0, (name, still.output)


def test_a_certificate_from_another_ca_fails_openssl_verify(issued: Issued, tmp_path: Path, ca_subject: x509.Name,
                                                            other_store: Store) -> None:
    from tests.conftest import PASSPHRASE

    other = ca.create(other_store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    stranger = issuance.issue_device(other_store, other, "ZM-001", generate="ec-p256")
    ran = referees.verify(issued.ca_file, pki.write_pem(tmp_path / "stranger.pem", stranger.certificate))
    assert ran.returncode != 0
    assert "unable to get local issuer certificate" in ran.output or "signature failure" in ran.output


def _crl_time(text: str, label: str) -> datetime:
    match = re.search(rf"{label}: (\w{{3}}) +(\d+) (\d\d:\d\d:\d\d) (\d{{4}}) GMT", text)
    assert match, text
    return datetime.strptime(" ".join(match.groups()), "%b %d %H:%M:%S %Y").replace(tzinfo=UTC)


def test_openssl_reads_the_crl(issued: Issued, store: Store, any_ca: ca.UnlockedCa) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    revocation.revoke(store, "ZM-001", "lost", now=now)
    revocation.revoke(store, "ZM-002", "decommissioned", now=now)
    revocation.revoke(store, "ZM-003", "compromised", now=now)
    revocation.revoke(store, "ZM-004", "superseded", now=now)
    _, info1 = issued.crl(store, any_ca, now=now)
    second, info2 = issued.crl(store, any_ca, now=now + timedelta(hours=1))
    assert info2.number > info1.number
    text = referees.crl_text(second)
    assert "Version 2 (0x1)" in text
    assert re.search(rf"X509v3 CRL Number: *\n *{info2.number}\n", text), text
    ca_ski = any_ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = ":".join(f"{b:02X}" for b in ca_ski.digest)
    assert re.search(rf"X509v3 Authority Key Identifier: *\n *(keyid:)?{aki}\n", text), text
    # Reason codes, in the RFC 5280 words OpenSSL prints.
    assert text.count("Key Compromise") == 2
    assert text.count("Cessation Of Operation") == 1
    assert text.count("Superseded") == 1
    assert text.count("Serial Number:") == 4
    this_update, next_update = _crl_time(text, "Last Update"), _crl_time(text, "Next Update")
    assert this_update == now + timedelta(hours=1)
    assert next_update - this_update == timedelta(hours=48)
    # The DER form says the same.
    der = issued.folder / "crl.der"
    der.write_bytes(info2.der)
    assert referees.crl_text(der, der=True) == text
    # And it is signed by the CA.
    verified = referees.openssl("crl", "-in", second, "-CAfile", issued.ca_file, "-noout")
    assert verified.returncode == 0 and "verify OK" in verified.output, verified.output


def test_pkilint_finds_no_error_in_the_ca_the_leaves_or_the_crl(issued: Issued, store: Store,
                                                                any_ca: ca.UnlockedCa) -> None:
    revocation.revoke(store, "ZM-001", "lost")
    revocation.revoke(store, "ZM-002", "decommissioned")
    revocation.revoke(store, "ZM-003", "superseded")
    crl, _ = issued.crl(store, any_ca)
    results = lint_all([issued.ca_file, *issued.leaves.values()], crls=(crl,))
    for path, findings in results.items():
        assert referees.serious(findings) == [], (path.name, findings)


def test_pkilint_with_crl_distribution_point_and_aia(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    for key, value in URLS.items():
        settings.set_value(store, key, value)
    issued = issue_everything(store, unlocked, tmp_path / "out")
    revocation.revoke(store, "ZM-004", "compromised")
    crl, _ = issued.crl(store, unlocked)
    paths = [issued.leaves["ZM-001"], issued.leaves["ZM-004"], issued.leaves[SERVER]]
    results = lint_all(paths, crls=(crl,))
    for path, findings in results.items():
        assert referees.serious(findings) == [], (path.name, findings)
    text = referees.openssl("x509", "-in", issued.leaves["ZM-001"], "-noout", "-text").stdout
    assert "URI:http://pki.hospital.example/zm.crl" in text
    assert "OCSP - URI:http://ocsp.hospital.example/" in text
    assert "CA Issuers - URI:http://pki.hospital.example/zm-ca.crt" in text


def test_pkilint_on_an_empty_crl(store: Store, unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    info = revocation.generate_crl(store, unlocked)
    path = tmp_path / "empty.crl.pem"
    path.write_bytes(info.pem)
    assert info.entries == 0
    assert referees.serious(referees.lint_crl(path)) == []
