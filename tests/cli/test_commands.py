"""The command line (issue 2 "Command line"): every command with the names and options operators script
against, run as a separate process with ``--home`` and the passphrase from ``--passphrase-file`` or
``ZMCONSOLE_PASSPHRASE``; outputs are checked with the core, openssl and the store itself."""

from __future__ import annotations

import json
import re
import stat
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from tests.cli.conftest import CA_INIT
from tests.conftest import PASSPHRASE, build_csr
from tests.support import cli, pki, referees, storestate
from zmconsole.core import ca, issuance, keyfiles, keys
from zmconsole.core.profiles import serial_hex
from zmconsole.core.store import Store

KEY_PASSWORD = "delivery password 1"


def test_ca_init_with_a_passphrase_file(tmp_path: Path, passphrase_file: Path) -> None:
    home = tmp_path / "home"
    result = cli.run(home, *CA_INIT, "--days", "1825", passphrase=None, passphrase_file=passphrase_file)
    assert result.returncode == 0, result
    assert "Platform CA: CN=Z-Monitor-CA,OU=IT,O=Hospital,ST=State,C=US" in result.stdout
    assert "ec-p384" in result.stdout
    cert = x509.load_pem_x509_certificate((home / ca.CA_CERT_FILE).read_bytes())
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == timedelta(days=1825, minutes=5)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / ca.CA_KEY_FILE).stat().st_mode) == 0o600
    assert referees.open_key(home / ca.CA_KEY_FILE, passphrase_file).returncode == 0
    assert storestate.audit_actions(home) == ["ca.created"]


def test_the_home_comes_from_zmconsole_home_too(tmp_path: Path) -> None:
    home = tmp_path / "from-env"
    cli.ok(None, *CA_INIT, env={"ZMCONSOLE_HOME": str(home)})
    assert (home / ca.CA_CERT_FILE).exists()
    shown = cli.ok(None, "ca", "show", "--json", env={"ZMCONSOLE_HOME": str(home)})
    assert json.loads(shown.stdout)["key_type"] == "ec-p384"


def test_ca_show_and_export(ca_home: Path, tmp_path: Path) -> None:
    data = json.loads(cli.ok(ca_home, "ca", "show", "--json", passphrase=None).stdout)
    cert = x509.load_pem_x509_certificate((ca_home / ca.CA_CERT_FILE).read_bytes())
    facts = {
        "subject": "CN=Z-Monitor-CA,OU=IT,O=Hospital,ST=State,C=US", "fingerprint_sha256": ca.fingerprint(cert),
        "key_type": "ec-p384", "serial": serial_hex(cert.serial_number),
        "not_before": cert.not_valid_before_utc.isoformat(), "not_after": cert.not_valid_after_utc.isoformat(),
    }
    assert data == {"shape": "single", "state": "active", **facts, "chain": [{"role": "single", **facts}],
                    "pending": None, "operators": False}
    text = cli.ok(ca_home, "ca", "show", passphrase=None).stdout
    assert "SHA-256:" in text and ca.fingerprint(cert) in text
    out = tmp_path / "exported-ca.pem"
    cli.ok(ca_home, "ca", "export", "--out", out, passphrase=None)
    assert x509.load_pem_x509_certificate(out.read_bytes()) == cert


def test_ca_import_of_an_rsa_ca(tmp_path: Path, passphrase_file: Path) -> None:
    cert_pem, key_pem = pki.rsa4096_ca()
    cert_file, key_file = tmp_path / "ca.pem", tmp_path / "ca.key.pem"
    cert_file.write_bytes(cert_pem)
    key_file.write_bytes(key_pem)
    home = tmp_path / "home"
    result = cli.ok(home, "ca", "import", "--cert", cert_file, "--key", key_file, passphrase=None,
                    passphrase_file=passphrase_file)
    assert "rsa4096" in result.stdout
    assert json.loads(cli.ok(home, "ca", "show", "--json").stdout)["key_type"] == "rsa4096"
    assert storestate.audit_actions(home) == ["ca.imported"]
    # The imported CA signs.
    issued = cli.ok(home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out",
                    tmp_path / "out", "--key-password-file", pki.write_text(tmp_path / "pw", KEY_PASSWORD))
    assert "Issued device certificate for ZM-001" in issued.stdout
    assert referees.verify(cert_file, tmp_path / "out" / "ZM-001.crt.pem").returncode == 0


def test_device_issue_from_a_csr(ca_home: Path, tmp_path: Path) -> None:
    csr = tmp_path / "zm-001.csr"
    csr.write_bytes(build_csr("ZM-001", ou="ICU"))
    out = tmp_path / "out"
    result = cli.ok(ca_home, "device", "issue", "ZM-001", "--csr", csr, "--ou", "ICU", "--location", "Bed 4",
                    "--days", "90", "--out", out)
    assert "Issued device certificate for ZM-001" in result.stdout
    assert "Key password" not in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["ZM-001.crt.pem", "ca.crt.pem"]
    cert = x509.load_pem_x509_certificate((out / "ZM-001.crt.pem").read_bytes())
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == timedelta(days=90, minutes=5)
    assert re.search(rf"serial: +{serial_hex(cert.serial_number)}", result.stdout)
    assert referees.verify(out / "ca.crt.pem", out / "ZM-001.crt.pem", purpose="sslclient").returncode == 0
    device = storestate.rows(ca_home, "devices")[0]
    assert (device["device_id"], device["ward"], device["location"]) == ("ZM-001", "ICU", "Bed 4")


def test_device_issue_with_a_der_csr_and_passphrase_file(ca_home: Path, tmp_path: Path,
                                                         passphrase_file: Path) -> None:
    csr = tmp_path / "zm-001.der"
    csr.write_bytes(pki.data("good_zm001.csr.der"))
    cli.ok(ca_home, "device", "issue", "ZM-001", "--csr", csr, "--out", tmp_path / "out", passphrase=None,
           passphrase_file=passphrase_file)


def test_device_issue_with_a_generated_key_and_a_random_password(ca_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli.ok(ca_home, "device", "issue", "ZM-002", "--generate-key", "--key", "rsa2048", "--out", out)
    match = re.search(r"Key password \(shown once; .*\): (\S+)$", result.stdout, re.MULTILINE)
    assert match, result.stdout
    password = match.group(1)
    assert sorted(p.name for p in out.iterdir()) == ["ZM-002.crt.pem", "ZM-002.key.pem", "ZM-002.p12", "ca.crt.pem"]
    password_file = pki.write_text(tmp_path / "pw", password)
    assert referees.open_key(out / "ZM-002.key.pem", password_file).returncode == 0
    assert referees.openssl("pkcs12", "-in", out / "ZM-002.p12", "-info", "-noout", "-passin",
                            f"file:{password_file}").returncode == 0
    # The printed password is the one secret shown; it is in no file of the data directory.
    assert not any(password.encode() in p.read_bytes() for p in ca_home.rglob("*") if p.is_file())
    key = keyfiles.decrypt_pem((out / "ZM-002.key.pem").read_bytes(), password, what="the key")
    assert keys.describe(key) == "rsa2048"


def test_device_issue_with_a_key_password_file(ca_home: Path, tmp_path: Path, key_password_file: Path) -> None:
    out = tmp_path / "out"
    result = cli.ok(ca_home, "device", "issue", "ZM-003", "--generate-key", "--key", "ec-p256",
                    "--key-password-file", key_password_file, "--out", out)
    assert "Key password" not in result.stdout
    assert referees.open_key(out / "ZM-003.key.pem", key_password_file).returncode == 0
    assert keys.describe(keyfiles.decrypt_pem((out / "ZM-003.key.pem").read_bytes(), KEY_PASSWORD)) == "ec-p256"


def test_server_issue_with_dns_and_ip_names(ca_home: Path, tmp_path: Path, key_password_file: Path) -> None:
    out = tmp_path / "out"
    result = cli.ok(ca_home, "server", "issue", "telemetry.hospital.example", "--dns", "alt.hospital.example",
                    "--dns", "telemetry.icu.hospital.example", "--ip", "10.0.0.5", "--ip", "127.0.0.1",
                    "--generate-key", "--key-password-file", key_password_file, "--out", out)
    assert "Issued server certificate for telemetry.hospital.example" in result.stdout
    cert = x509.load_pem_x509_certificate((out / "telemetry.hospital.example.crt.pem").read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["telemetry.hospital.example", "alt.hospital.example",
                                                     "telemetry.icu.hospital.example"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.5", "127.0.0.1"]
    assert keys.describe(cert.public_key()) == "rsa2048"  # type: ignore[arg-type]
    ran = referees.verify(out / "ca.crt.pem", out / "telemetry.hospital.example.crt.pem", purpose="sslserver")
    assert ran.returncode == 0, ran.output
    csr = tmp_path / "prov.csr"
    csr.write_bytes(build_csr("prov.hospital.example", ou=None))
    cli.ok(ca_home, "server", "issue", "prov.hospital.example", "--csr", csr, "--out", out)


def test_device_list_show_export_and_revoke(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                            tmp_path: Path, key_password_file: Path) -> None:
    first = issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256", ward="ICU", hold_key=True)
    issuance.issue_device(ca_store, ca_unlocked, "ZM-002", csr=build_csr("ZM-002"))

    listed = cli.ok(ca_home, "device", "list", passphrase=None)
    assert re.search(rf"^ZM-001 +ICU +active +\S+ +365  {first.serial}$", listed.stdout, re.MULTILINE), listed
    assert "2 device(s)" in listed.stderr

    shown = json.loads(cli.ok(ca_home, "device", "show", "ZM-001", "--json", passphrase=None).stdout)
    assert shown["device_id"] == "ZM-001" and shown["status"] == "active" and shown["ward"] == "ICU"
    assert [c["serial"] for c in shown["certificates"]] == [first.serial]
    assert shown["certificates"][0]["key_source"] == "generated"

    pem, der, p12 = tmp_path / "zm1.pem", tmp_path / "zm1.der", tmp_path / "zm1.p12"
    cli.ok(ca_home, "device", "export", "ZM-001", "--format", "pem", "--out", pem, passphrase=None)
    cli.ok(ca_home, "device", "export", "ZM-001", "--format", "der", "--out", der, passphrase=None)
    assert x509.load_pem_x509_certificate(pem.read_bytes()) == first.certificate
    assert x509.load_der_x509_certificate(der.read_bytes()) == first.certificate
    cli.ok(ca_home, "device", "export", "ZM-001", "--format", "p12", "--key-password-file", key_password_file,
           "--out", p12)
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600
    info = referees.openssl("pkcs12", "-in", p12, "-info", "-noout", "-passin", f"file:{key_password_file}")
    assert info.returncode == 0 and "AES-256-CBC" in info.output, info.output
    assert storestate.rows(ca_home, "held_keys") == []
    again = cli.run(ca_home, "device", "export", "ZM-001", "--format", "p12", "--out", tmp_path / "again.p12")
    cli.assert_clean_error(again, "does not hold the private key")

    revoked = cli.ok(ca_home, "device", "revoke", "ZM-001", "--reason", "lost")
    assert f"Revoked ZM-001 (lost): {first.serial}" in revoked.stdout
    assert "CRL #1 regenerated with 1 entries." in revoked.stdout
    shown = json.loads(cli.ok(ca_home, "device", "show", "ZM-001", "--json").stdout)
    assert shown["status"] == "revoked" and shown["revocation_reason"] == "lost"
    by_status = json.loads(cli.ok(ca_home, "device", "list", "--status", "revoked", "--json").stdout)
    assert [d["device_id"] for d in by_status] == ["ZM-001"]
    text = cli.ok(ca_home, "device", "show", "ZM-001").stdout
    assert "revoked (lost)" in text


def test_crl_generate_pem_and_der(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                  tmp_path: Path) -> None:
    issued = issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    cli.ok(ca_home, "device", "revoke", issued.serial, "--reason", "decommissioned", "--no-crl")
    pem, der = tmp_path / "crl.pem", tmp_path / "crl.der"
    result = cli.ok(ca_home, "crl", "generate", "--out", pem)
    assert re.match(r"CRL #1: 1 entries, next update \d{4}-\d\d-\d\d \d\d:\d\d UTC, written to ", result.stdout)
    cli.ok(ca_home, "crl", "generate", "--out", der, "--der")
    text = referees.crl_text(der, der=True)
    assert "Cessation Of Operation" in text and re.search(r"CRL Number: *\n *2\n", text)
    assert x509.load_pem_x509_crl(pem.read_bytes()).extensions.get_extension_for_class(
        x509.CRLNumber).value.crl_number == 1
    hours = cli.ok(ca_home, "crl", "generate", "--out", pem, "--hours", "24")
    crl = x509.load_pem_x509_crl(pem.read_bytes())
    assert crl.next_update_utc - crl.last_update_utc == timedelta(hours=24)  # type: ignore[operator]
    assert "CRL #3" in hours.stdout


def test_config_set_and_get(ca_home: Path) -> None:
    cli.ok(ca_home, "config", "set", "crl-url", "http://pki.hospital.example/zm.crl")
    assert cli.ok(ca_home, "config", "get", "crl-url").stdout.strip() == "http://pki.hospital.example/zm.crl"
    values = json.loads(cli.ok(ca_home, "config", "get", "--json").stdout)
    assert values["crl-url"] == "http://pki.hospital.example/zm.crl" and values["device-days"] == 365


def test_the_ca_key_defaults_to_rsa4096() -> None:
    """The seed's default; generating one in a subprocess would cost seconds, so the parser is asked."""
    from zmconsole.cli.main import build_parser

    assert build_parser().parse_args(["ca", "init", "--cn", "CA", "--org", "Hospital"]).key == "rsa4096"
    # No --days: the core picks the role's default, 10 years for a single CA (20 for a root).
    assert build_parser().parse_args(["ca", "init", "--cn", "CA", "--org", "Hospital"]).days is None
    assert ca.DEFAULT_DAYS == {ca.SINGLE: 3650, ca.ROOT: 7305}


def test_version_and_help() -> None:
    assert cli.ok(None, "--version").stdout.strip() == "zmconsole 0.1.0"
    helped = cli.ok(None, "--help").stdout
    for command in ("ca", "device", "server", "crl", "check-expiry", "audit"):
        assert command in helped
    device_help = cli.ok(None, "device", "issue", "--help").stdout
    for option in ("--csr", "--generate-key", "--key", "--ou", "--location", "--days", "--out"):
        assert option in device_help


def test_a_cli_run_and_the_store_agree_on_time(ca_home: Path, tmp_path: Path) -> None:
    """Times printed and stored are UTC: the certificate's notBefore is the issue time less the skew."""
    before = datetime.now().astimezone()
    cli.ok(ca_home, "device", "issue", "ZM-009", "--csr", pki.write_text(tmp_path / "c.pem", build_csr("ZM-009")
                                                                          .decode()), "--out", tmp_path / "o")
    [row] = [r for r in storestate.rows(ca_home, "certificates") if r["common_name"] == "ZM-009"]
    assert abs(row["issued_at"] - before.timestamp()) < 120
    assert row["issued_at"] - row["not_before"] == 300
    assert PASSPHRASE not in json.dumps(row, default=str)
