"""The console's side of renewal: ``device renew`` follows the grace and confirm rules of a device's own
renewal, ``device show --json`` gives the lineage, and ``device issue --csr`` warns about an ignored SAN."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tests.conftest import PASSPHRASE, build_csr
from tests.support import cli
from zmconsole.core import ca, renewal
from zmconsole.core.store import Store


def test_issue_with_a_requested_san_warns_that_it_was_ignored(ca_home: Path, tmp_path: Path) -> None:
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("10.20.30.40"))])
    csr = tmp_path / "zm.csr"
    csr.write_bytes(build_csr("ZM-001", extensions=[(san, False)]))
    done = cli.ok(ca_home, "device", "issue", "ZM-001", "--csr", csr, "--out", tmp_path / "out")
    assert "warning: the CSR asked for the alternative names IP:10.20.30.40; they were ignored" in done.stdout
    cert = x509.load_pem_x509_certificate((tmp_path / "out" / "ZM-001.crt.pem").read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == ["zm-001.devices.hospital.example"]


def test_a_console_renewal_keeps_the_old_certificate_in_grace_until_the_device_confirms(
        ca_home: Path, ca_store: Store, tmp_path: Path) -> None:
    cli.ok(ca_home, "device", "issue", "ZM-002", "--generate-key", "--out", tmp_path / "first",
           "--key-password-file", _password(tmp_path))
    done = cli.ok(ca_home, "device", "renew", "ZM-002", "--generate-key", "--out", tmp_path / "second",
                  "--key-password-file", _password(tmp_path))
    assert "stays valid for 7 days" in done.stdout
    shown = json.loads(cli.ok(ca_home, "device", "show", "ZM-002", "--json").stdout)
    new, old = shown["certificates"]
    assert (new["made_by"], new["replaces"], new["status"]) == ("renewed-by-console", old["serial"], "active")
    assert (old["made_by"], old["status"], old["revoked_at"]) == ("issued", "superseded", None)
    assert old["grace_ends_at"] is not None and shown["renewal"]["automatic"] is False

    # The device confirms from its new identity: the old certificate is revoked as superseded at once.
    der = x509.load_pem_x509_certificate((tmp_path / "second" / "ZM-002.crt.pem").read_bytes()).public_bytes(
        serialization.Encoding.DER)
    confirmed = renewal.confirm(ca_store, ca.unlock(ca_store, PASSPHRASE), der)
    assert confirmed.superseded_serial == old["serial"]
    shown = json.loads(cli.ok(ca_home, "device", "show", "ZM-002", "--json").stdout)
    new, old = shown["certificates"]
    assert (old["status"], old["revocation_reason"]) == ("revoked", "superseded")
    assert new["confirmed_at"] is not None and shown["renewal"]["last_confirmed_at"] == new["confirmed_at"]
    text = cli.ok(ca_home, "device", "show", "ZM-002").stdout
    assert "renewed-by-console" in text and "last confirmed:" in text


def _password(folder: Path) -> Path:
    path = folder / "key-password"
    path.write_text("a key password for the test\n")
    return path
