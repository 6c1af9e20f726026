"""Acceptance for operators (issue 13), through the real ``zmconsole serve`` and ``zmdevice`` on 127.0.0.1:

- a ``pairing`` operator prepares a pairing with no CA passphrase in that console process's environment,
  arguments or input, and the device pairs through the service, which holds the CA key;
- a console-key pairing prepared by a ``pairing`` operator holds only the sealed key and a CSR, and ``serve``
  issues its certificate when the device pulls the bundle;
- a disabled operator's unused QR code is refused by the device, because their pairing signer is revoked;
- an officer revokes without the CA passphrase: OCSP says revoked at once, the console says "revoked, CRL
  pending", and the CRL the service hands out lists it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from tests.cli.conftest import CA_INIT
from tests.conftest import PASSPHRASE
from tests.support import cli, leaks, referees, storestate, zmdevice
from tests.support.service import RunningService, call, running_service

pytestmark = pytest.mark.slow  # runs zmconsole serve

PASSWORDS = {"alice": "alice admin password", "bob": "bob pairing password", "carol": "carol officer password"}


@dataclass
class Site:
    home: Path
    work: Path
    service: RunningService

    def password_file(self, name: str) -> Path:
        return self.work / f"{name}.pw"

    def as_(self, name: str, *args: str | Path) -> cli.Result:
        """``zmconsole --operator NAME --operator-password-file F ARGS`` with no CA passphrase anywhere."""
        result = cli.run(self.home, "--operator", name, "--operator-password-file", self.password_file(name), *args,
                         passphrase=None)
        assert PASSPHRASE not in " ".join(result.argv)
        return result

    def pair(self, name: str, device_id: str, *mode: str) -> dict[str, Any]:
        qr = self.work / f"{device_id}.png"
        done = self.as_(name, "device", "pair", device_id, *mode, "--url", self.service.provisioning_url, "--qr", qr,
                        "--json")
        assert done.returncode == 0, str(done)
        return {**json.loads(done.stdout), "qr": qr}

    def enroll(self, ticket: dict[str, Any]) -> zmdevice.Result:
        return zmdevice.run("enroll", "--qr", ticket["qr"], "--keystore", self.work / "devices" / ticket["device_id"],
                            "--device-id", ticket["device_id"], code=ticket["pairing_code"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("operators")
    home = work / "console"
    for name, password in PASSWORDS.items():
        (work / f"{name}.pw").write_text(password + "\n")
    cli.ok(home, *CA_INIT, "--admin", "alice", "--admin-password-file", work / "alice.pw")
    alice = ("--operator", "alice", "--operator-password-file", work / "alice.pw")
    cli.ok(home, *alice, "operator", "add", "bob", "--role", "pairing", "--password-file", work / "bob.pw")
    cli.ok(home, *alice, "operator", "add", "carol", "--role", "officer", "--password-file", work / "carol.pw")
    admin_env = {"ZMCONSOLE_OPERATOR": "alice", "ZMCONSOLE_OPERATOR_PASSWORD": PASSWORDS["alice"]}
    with running_service(home, set_crl_url=False, env=admin_env) as service:
        cli.ok(home, *alice, "config", "set", "crl-url", service.crl_url, passphrase=None)
        yield Site(home, work, service)


def test_a_pairing_operator_pairs_a_device_through_serve_with_no_ca_passphrase(site: Site) -> None:
    assert "ZMCONSOLE_PASSPHRASE" not in cli.environment(passphrase=None)
    ticket = site.pair("bob", "ZM-001")
    assert ticket["device_id"] == "ZM-001" and ticket["serial"] is None
    paired = site.enroll(ticket)
    assert paired.returncode == 0, str(paired)
    assert paired.stdout.startswith("Paired ZM-001: certificate serial ")
    shown = json.loads(site.as_("bob", "device", "show", "ZM-001", "--json").stdout)
    assert [c["status"] for c in shown["certificates"]] == ["active"]
    # The QR names who prepared it: its signer is bob's, and the audit says bob prepared it.
    audit = [r for r in _audit(site) if r["subject"] == "ZM-001"]
    prepared = next(r for r in audit if r["action"] == "pairing.prepared")
    assert prepared["operator"] == "bob"
    bob = next(o for o in _operators(site) if o["name"] == "bob")
    assert json.loads(prepared["details"])["signer"] == bob["signer_serial"]


def test_a_pairing_operator_pairs_a_console_key_device_and_serve_issues_at_the_pull(site: Site) -> None:
    ticket = site.pair("bob", "ZM-004", "--generate-key")
    assert ticket["key_mode"] == "console-key" and ticket["serial"] is None
    row = next(r for r in storestate.rows(site.home, "pairings") if r["device_id"] == "ZM-004")
    assert row["certificate_id"] is None and row["csr"] is not None and row["sealed_key"] is not None
    assert not [r for r in storestate.rows(site.home, "certificates") if r["device_id"] == "ZM-004"]
    _no_plain_keys(site)  # the console-made key is in the store only sealed under the code
    paired = site.enroll(ticket)
    assert paired.returncode == 0, str(paired)
    assert paired.stdout.startswith("Paired ZM-004: certificate serial ")
    keystore = site.work / "devices" / "ZM-004"
    verified = referees.verify(keystore / "ca-chain.pem", keystore / "device-cert.pem", purpose="sslclient")
    assert verified.returncode == 0, verified.output
    verified = referees.verify(site.home / "ca.crt.pem", keystore / "device-cert.pem", purpose="sslclient")
    assert verified.returncode == 0, verified.output
    shown = json.loads(site.as_("bob", "device", "show", "ZM-004", "--json").stdout)
    assert [(c["status"], c["key_source"]) for c in shown["certificates"]] == [("active", "generated")]
    used = next(r for r in storestate.rows(site.home, "pairings") if r["device_id"] == "ZM-004")
    assert used["state"] == "used" and used["certificate_id"] is not None and used["csr"] is None
    issued = next(r for r in _audit(site) if r["subject"] == "ZM-004" and r["action"] == "cert.issued")
    assert issued["operator"] != "bob"  # the service, holding the issuing key, issued it at the pull
    _no_plain_keys(site)


def test_a_disabled_operators_unused_qr_is_refused_by_the_device(site: Site) -> None:
    cli.ok(site.home, "--operator", "alice", "--operator-password-file", site.password_file("alice"),
           "operator", "add", "dave", "--role", "pairing", "--password-file", site.password_file("bob"))
    (site.work / "dave.pw").write_text(PASSWORDS["bob"] + "\n")
    ticket = site.pair("dave", "ZM-002")
    signer_path = f"/zmp/v1/signers/{ticket['signer_key_id']}"
    assert call(site.service, "GET", signer_path).status == 200
    disabled = site.as_("alice", "operator", "disable", "dave")
    assert disabled.returncode == 0, str(disabled)
    assert call(site.service, "GET", signer_path).status == 404  # the service no longer vouches for it
    refused = site.enroll(ticket)
    zmdevice.refused(refused, "no pairing signer has key id", ticket["signer_key_id"])
    assert not (site.work / "devices" / "ZM-002" / "device-cert.pem").exists()


def test_an_officers_revocation_shows_in_ocsp_and_in_the_crl_serve_hands_out(site: Site) -> None:
    ticket = site.pair("bob", "ZM-003")
    assert site.enroll(ticket).returncode == 0
    keystore = site.work / "devices" / "ZM-003"
    cert_file = keystore / "device-cert.pem"
    serial = x509.load_pem_x509_certificate(cert_file.read_bytes()).serial_number
    ca_file = site.home / "ca.crt.pem"
    url = f"http://127.0.0.1:{site.service.http_port}/ocsp"

    revoked = site.as_("carol", "device", "revoke", "ZM-003", "--reason", "lost")
    assert revoked.returncode == 0, str(revoked)
    assert "CRL pending" in revoked.stdout
    shown = site.as_("carol", "device", "show", "ZM-003")
    assert "revoked, CRL pending" in shown.stdout
    assert json.loads(site.as_("carol", "device", "show", "ZM-003", "--json").stdout)["certificates"][0][
        "crl_pending"] is True

    ocsp = referees.openssl("ocsp", "-issuer", ca_file, "-cert", cert_file, "-url", url, "-CAfile", ca_file)
    assert ocsp.returncode == 0 and "Response verify OK" in ocsp.output, ocsp.output
    assert f"{cert_file}: revoked" in ocsp.stdout

    answer = call(site.service, "GET", "/crl", https=False)
    assert answer.status == 200
    entry = x509.load_der_x509_crl(answer.body).get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    assert "revoked, CRL pending" not in site.as_("carol", "device", "show", "ZM-003").stdout


def _audit(site: Site) -> list[dict[str, Any]]:
    return storestate.rows(site.home, "audit_log")


def _no_plain_keys(site: Site) -> None:
    """No cell of the store holds a private key that opens without a password (tests/cli/test_no_plain_keys.py)."""
    for table, column, value in storestate.cells(site.home):
        assert leaks.plain_keys(value) == [], (table, column)
        if b"PRIVATE KEY-----" in value:
            assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in value, (table, column)


def _operators(site: Site) -> list[dict[str, Any]]:
    done = site.as_("alice", "operator", "list", "--json")
    assert done.returncode == 0, str(done)
    return list(json.loads(done.stdout))
