"""``zmconsole device pair`` and the two URL settings, run as an administrator's script runs them.

The QR PNG is read back with a real barcode reader (zxing-cpp); the JSON output is parsed as the one
object stdout must hold.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from cryptography import x509
from PIL import Image

from tests.support import cli, storestate
from tests.support.service import make_ca
from zmconsole.core import paths
from zmconsole.core.pairing import protocol


@pytest.fixture
def ca_home(tmp_path: Path) -> Path:
    home = paths.ensure_home(tmp_path / "home")
    make_ca(home)
    return home


def pair(home: Path, *args: str | Path) -> dict[str, object]:
    done = cli.ok(home, "device", "pair", *args, "--json")
    value = json.loads(done.stdout)  # exactly one JSON document, nothing else on stdout
    assert isinstance(value, dict)
    return value


def test_json_output_and_the_qr_png_decodes_to_the_payload(ca_home: Path, tmp_path: Path) -> None:
    png = tmp_path / "qr.png"
    ticket = pair(ca_home, "ZM-001", "--url", "https://127.0.0.1:9443", "--qr", png)
    assert {"device_id", "pairing_code", "expires_at", "qr_text", "key_mode", "ca_fingerprint"} <= set(ticket)
    assert ticket["device_id"] == "ZM-001"
    code = ticket["pairing_code"]
    assert isinstance(code, str) and len(code) == 8 and code.isdigit()
    assert ticket["key_mode"] == "device-key"
    assert ticket["serial"] is None
    found = [r for r in zxingcpp.read_barcodes(Image.open(png)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert [r.text for r in found] == [ticket["qr_text"]]
    payload = protocol.decode_payload(str(ticket["qr_text"]))
    assert payload.device_id == "ZM-001"
    assert payload.provisioning_url == "https://127.0.0.1:9443/"
    assert payload.expires_at == datetime.fromisoformat(str(ticket["expires_at"]))
    assert payload.ca_fingerprint.hex() == ticket["ca_fingerprint"]
    assert code not in str(ticket["qr_text"])


def test_ttl_svg_and_label(ca_home: Path, tmp_path: Path) -> None:
    svg, label = tmp_path / "qr.svg", tmp_path / "label.pdf"
    ticket = pair(ca_home, "ZM-002", "--ttl", "600", "--qr", tmp_path / "qr.png", "--svg", svg, "--label", label,
                  "--ward", "ICU")
    created = datetime.fromisoformat(str(ticket["created_at"]))
    expires = datetime.fromisoformat(str(ticket["expires_at"]))
    assert (expires - created).total_seconds() == 600
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314 - our own file
    assert label.read_bytes().startswith(b"%PDF-")
    assert ticket["ward"] == "ICU"


def test_every_file_of_a_pairing_is_0600_and_none_is_written_through_a_link(ca_home: Path, tmp_path: Path) -> None:
    """Each file holds the one-time token (in the QR code): 0600 whatever the umask allows, whatever was there."""
    png, svg, label = tmp_path / "qr.png", tmp_path / "qr.svg", tmp_path / "label.pdf"
    png.write_bytes(b"an older QR code")
    png.chmod(0o666)
    bystander = tmp_path / "bystander.txt"
    bystander.write_text("not to be overwritten")
    svg.symlink_to(bystander)
    pair(ca_home, "ZM-002", "--qr", png, "--svg", svg, "--label", label)
    for path in (png, svg, label):
        assert not path.is_symlink()
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert bystander.read_text() == "not to be overwritten"
    assert png.read_bytes().startswith(b"\x89PNG")


def test_the_code_goes_on_the_label_only_when_asked(ca_home: Path, tmp_path: Path) -> None:
    label = tmp_path / "label.pdf"
    done = cli.ok(ca_home, "device", "pair", "ZM-003", "--qr", tmp_path / "qr.png", "--label", label,
                  "--label-with-code")
    assert label.stat().st_mode & 0o777 == 0o600  # it carries the code
    assert "carries the pairing code" in done.stderr
    assert "Pairing code for ZM-003: " in done.stdout


def test_generate_key_issues_at_once_and_holds_no_plain_key(ca_home: Path, tmp_path: Path) -> None:
    ticket = pair(ca_home, "ZM-004", "--generate-key", "--qr", tmp_path / "qr.png")
    assert ticket["key_mode"] == "console-key"
    shown = cli.ok(ca_home, "device", "show", "ZM-004", "--json")
    assert json.loads(shown.stdout)["certificates"][0]["serial"] == ticket["serial"]
    for table, column, value in storestate.cells(ca_home):
        assert b"-----BEGIN PRIVATE KEY" not in value, (table, column)
        assert str(ticket["pairing_code"]).encode() not in value or (table == "audit_log" and False), (table, column)


def test_the_provisioning_url_setting_is_the_default_url(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "config", "set", "provisioning-url", "https://prov.hospital.example:8443")
    ticket = pair(ca_home, "ZM-005", "--qr", tmp_path / "qr.png")
    assert ticket["provisioning_url"] == "https://prov.hospital.example:8443/"
    refused = cli.run(ca_home, "config", "set", "provisioning-url", "http://prov.hospital.example")
    cli.assert_clean_error(refused, "https")
    with_path = cli.run(ca_home, "config", "set", "provisioning-url", "https://prov.hospital.example/est")
    cli.assert_clean_error(with_path, "https://host[:port]/")


def test_the_crl_url_setting_is_the_distribution_point_of_issued_certificates(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "config", "set", "crl-url", "http://crl.hospital.example:8080/crl")
    assert cli.ok(ca_home, "config", "get", "crl-url").stdout.strip() == "http://crl.hospital.example:8080/crl"
    pair(ca_home, "ZM-006", "--generate-key", "--qr", tmp_path / "qr.png")
    cli.ok(ca_home, "device", "export", "ZM-006", "--format", "pem", "--out", tmp_path / "zm6.pem")
    cert = x509.load_pem_x509_certificate((tmp_path / "zm6.pem").read_bytes())
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name == [x509.UniformResourceIdentifier("http://crl.hospital.example:8080/crl")]


@pytest.mark.parametrize(("args", "words"), [
    (["ZM-007", "--url", "http://127.0.0.1:8443"], ["https"]),
    (["ZM-007", "--ttl", "0"], ["lifetime"]),
    (["not-a-device", ], ["site pattern"]),
])
def test_bad_arguments_fail_cleanly_and_leave_no_pairing(ca_home: Path, tmp_path: Path, args: list[str],
                                                         words: list[str]) -> None:
    result = cli.run(ca_home, "device", "pair", *args, "--qr", tmp_path / "qr.png", "--json")
    cli.assert_clean_error(result, *words)
    assert result.stdout == ""
    assert not (tmp_path / "qr.png").exists()
    assert storestate.snapshot(ca_home).get("pairings") == []


def test_a_device_with_an_active_certificate_is_not_paired_again(ca_home: Path, tmp_path: Path) -> None:
    cli.ok(ca_home, "device", "issue", "ZM-008", "--generate-key", "--out", tmp_path / "issued")
    result = cli.run(ca_home, "device", "pair", "ZM-008", "--qr", tmp_path / "qr.png")
    cli.assert_clean_error(result, "already has an active certificate", "revoke")
    before = storestate.snapshot(ca_home)
    unasked = cli.run(ca_home, "device", "pair", "ZM-008", "--qr", tmp_path / "qr.png", passphrase=None)
    cli.assert_clean_error(unasked, "already has an active certificate", "revoke")  # refused before any passphrase
    assert storestate.snapshot(ca_home) == before
