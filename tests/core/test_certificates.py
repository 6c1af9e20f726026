"""Device and server certificate profiles (issue 2 "Certificates"): every extension and its criticality,
names, validity, clamping, serial numbers, both key modes with RSA and EC keys, under an RSA and an EC CA."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, ExtensionOID, NameOID

from tests.conftest import PASSPHRASE, build_csr
from tests.support import pki, storestate
from zmconsole.core import ca, issuance, keys, profiles, settings
from zmconsole.core.errors import ConflictError, InputError, PolicyError
from zmconsole.core.store import Store

LEAF_EXTENSIONS = {ExtensionOID.BASIC_CONSTRAINTS, ExtensionOID.KEY_USAGE, ExtensionOID.EXTENDED_KEY_USAGE,
                   ExtensionOID.SUBJECT_ALTERNATIVE_NAME, ExtensionOID.SUBJECT_KEY_IDENTIFIER,
                   ExtensionOID.AUTHORITY_KEY_IDENTIFIER}
KEY_MODES = ["csr-rsa2048", "csr-ec-p256", "generated-rsa2048", "generated-ec-p256"]


def request_for(mode: str, common_name: str) -> dict[str, Any]:
    """issue_device/issue_server keyword arguments for a key mode: a CSR from the device, or a key made here."""
    source, key_type = mode.split("-", 1)
    if source == "generated":
        return {"generate": key_type}
    key = keys.generate(key_type)
    return {"csr": build_csr(common_name, key=key, ou=None if "." in common_name else "ICU")}


def assert_is_leaf(cert: x509.Certificate, issuer: ca.UnlockedCa, *, usage: x509.ObjectIdentifier,
                   names: list[x509.GeneralName], urls: dict[str, str] | None = None) -> None:
    """The end-entity profile, extension by extension (RFC 5280 §4.2), as trustme's assert_is_leaf does."""
    urls = urls or {}
    exts = {e.oid: e for e in cert.extensions}
    expected = set(LEAF_EXTENSIONS)
    if urls.get("crl"):
        expected.add(ExtensionOID.CRL_DISTRIBUTION_POINTS)
    if urls.get("ocsp") or urls.get("ca_issuers"):
        expected.add(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    assert set(exts) == expected

    bc = exts[ExtensionOID.BASIC_CONSTRAINTS]
    assert bc.critical and bc.value.ca is False and bc.value.path_length is None

    ku = exts[ExtensionOID.KEY_USAGE]
    is_rsa = isinstance(cert.public_key(), rsa.RSAPublicKey)
    assert ku.critical
    assert ku.value.digital_signature is True
    assert ku.value.key_encipherment is is_rsa  # RSA key transport only
    assert not any([ku.value.content_commitment, ku.value.data_encipherment, ku.value.key_agreement,
                    ku.value.key_cert_sign, ku.value.crl_sign])

    eku = exts[ExtensionOID.EXTENDED_KEY_USAGE]
    assert not eku.critical and list(eku.value) == [usage]

    san = exts[ExtensionOID.SUBJECT_ALTERNATIVE_NAME]
    assert not san.critical and list(san.value) == names

    ski = exts[ExtensionOID.SUBJECT_KEY_IDENTIFIER]
    assert not ski.critical and ski.value == x509.SubjectKeyIdentifier.from_public_key(cert.public_key())

    aki = exts[ExtensionOID.AUTHORITY_KEY_IDENTIFIER]
    ca_ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert not aki.critical
    assert aki.value.key_identifier == ca_ski.digest
    assert aki.value.authority_cert_issuer is None and aki.value.authority_cert_serial_number is None

    if urls.get("crl"):
        dp = exts[ExtensionOID.CRL_DISTRIBUTION_POINTS]
        assert not dp.critical
        assert [list(p.full_name or []) for p in dp.value] == [[x509.UniformResourceIdentifier(urls["crl"])]]
    if ExtensionOID.AUTHORITY_INFORMATION_ACCESS in exts:
        aia = exts[ExtensionOID.AUTHORITY_INFORMATION_ACCESS]
        assert not aia.critical
        wanted = []
        if urls.get("ocsp"):
            wanted.append((AuthorityInformationAccessOID.OCSP, urls["ocsp"]))
        if urls.get("ca_issuers"):
            wanted.append((AuthorityInformationAccessOID.CA_ISSUERS, urls["ca_issuers"]))
        assert [(d.access_method, d.access_location.value) for d in aia.value] == wanted

    assert cert.version is x509.Version.v3
    assert cert.issuer == issuer.certificate.subject
    cert.verify_directly_issued_by(issuer.certificate)
    assert 0 < cert.serial_number and cert.serial_number.bit_length() >= 64


def assert_validity(cert: x509.Certificate, now: datetime, days: int) -> None:
    assert cert.not_valid_after_utc == now + timedelta(days=days)
    backdated = now - cert.not_valid_before_utc
    assert timedelta(minutes=1) <= backdated <= timedelta(minutes=15), backdated


def assert_recorded(home: Path, issued: issuance.Issued) -> None:
    """The certificate is in the store, DER and all, under its serial."""
    der = issued.certificate.public_bytes(serialization.Encoding.DER)
    assert [r["der"] for r in storestate.rows(home, "certificates") if r["serial"] == issued.serial] == [der]


@pytest.mark.parametrize("mode", KEY_MODES)
def test_device_certificate_profile(mode: str, store: Store, home: Path, unlocked: ca.UnlockedCa,
                                    now: datetime) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", ward="ICU", now=now, **request_for(mode, "ZM-001"))
    cert = issued.certificate
    assert_is_leaf(cert, unlocked, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
                   names=[x509.DNSName("zm-001.devices.hospital.example")])
    assert cert.subject.rfc4514_string() == "CN=ZM-001,OU=ICU,O=Hospital,C=US"
    assert_validity(cert, now, 365)
    assert issued.serial == f"{cert.serial_number:X}".zfill(len(issued.serial))
    assert issued.kind == "device" and issued.device_id == "ZM-001" and not issued.clamped
    assert issued.chain == (unlocked.certificate,)
    if mode.startswith("generated"):
        assert issued.private_key is not None
        assert keys.spki(issued.private_key) == keys.spki(cert.public_key())
    else:
        assert issued.private_key is None
    assert issued.key_type == mode.split("-", 1)[1]
    assert_recorded(home, issued)


@pytest.mark.parametrize("mode", ["csr-rsa2048", "generated-ec-p256"])
def test_device_certificate_under_the_rsa_ca(mode: str, store: Store, rsa_unlocked: ca.UnlockedCa,
                                             now: datetime) -> None:
    issued = issuance.issue_device(store, rsa_unlocked, "ZM-001", now=now, **request_for(mode, "ZM-001"))
    assert_is_leaf(issued.certificate, rsa_unlocked, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
                   names=[x509.DNSName("zm-001.devices.hospital.example")])
    assert isinstance(issued.certificate.signature_hash_algorithm, hashes.SHA256)
    if mode.startswith("generated"):  # no ward given: the subject simply has no OU
        assert issued.certificate.subject.rfc4514_string() == "CN=ZM-001,O=Hospital,C=US"


@pytest.mark.parametrize("mode", ["csr-ec-p256", "generated-rsa2048"])
def test_server_certificate_profile(mode: str, store: Store, home: Path, unlocked: ca.UnlockedCa,
                                    now: datetime) -> None:
    host = "telemetry.hospital.example"
    issued = issuance.issue_server(store, unlocked, "Telemetry.Hospital.Example", dns=["alt.hospital.example"],
                                   ips=["10.0.0.5", "127.0.0.1", "::1"], now=now, **request_for(mode, host))
    cert = issued.certificate
    assert_is_leaf(cert, unlocked, usage=ExtendedKeyUsageOID.SERVER_AUTH, names=[
        x509.DNSName(host), x509.DNSName("alt.hospital.example"),
        x509.IPAddress(ipaddress.ip_address("10.0.0.5")), x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1"))])
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == host
    assert cert.subject.rfc4514_string() == f"CN={host},O=Hospital,C=US"
    assert_validity(cert, now, 365)
    assert issued.kind == "server" and issued.device_id is None
    assert_recorded(home, issued)


def test_server_hostname_is_in_the_san_once(store: Store, unlocked: ca.UnlockedCa) -> None:
    issued = issuance.issue_server(store, unlocked, "prov.hospital.example", dns=["prov.hospital.example"],
                                   generate="ec-p256")
    san = issued.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert list(san) == [x509.DNSName("prov.hospital.example")]


def test_a_new_server_certificate_supersedes_the_previous_one(store: Store, home: Path,
                                                              unlocked: ca.UnlockedCa) -> None:
    first = issuance.issue_server(store, unlocked, "prov.hospital.example", generate="ec-p256")
    second = issuance.issue_server(store, unlocked, "prov.hospital.example", generate="ec-p256")
    rows = {r["serial"]: r for r in storestate.rows(home, "certificates")}
    assert rows[first.serial]["superseded_at"] is not None
    assert rows[second.serial]["superseded_at"] is None


@pytest.mark.parametrize(("which", "value"), [
    ("crl-url", "http://pki.hospital.example/zm.crl"),
    ("ocsp-url", "http://ocsp.hospital.example/"),
    ("ca-issuers-url", "http://pki.hospital.example/zm-ca.crt"),
])
def test_distribution_urls_appear_only_when_configured(which: str, value: str, store: Store,
                                                       unlocked: ca.UnlockedCa) -> None:
    settings.set_value(store, which, value)
    urls = {which.removesuffix("-url").replace("-", "_"): value}
    device = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    assert_is_leaf(device.certificate, unlocked, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
                   names=[x509.DNSName("zm-001.devices.hospital.example")], urls=urls)
    server = issuance.issue_server(store, unlocked, "telemetry.hospital.example", generate="ec-p256")
    assert_is_leaf(server.certificate, unlocked, usage=ExtendedKeyUsageOID.SERVER_AUTH,
                   names=[x509.DNSName("telemetry.hospital.example")], urls=urls)


def test_all_distribution_urls_together(store: Store, unlocked: ca.UnlockedCa) -> None:
    urls = {"crl": "http://pki.hospital.example/zm.crl", "ocsp": "http://ocsp.hospital.example/",
            "ca_issuers": "http://pki.hospital.example/zm-ca.crt"}
    for name, value in urls.items():
        settings.set_value(store, f"{name.replace('_', '-')}-url", value)
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    assert_is_leaf(issued.certificate, unlocked, usage=ExtendedKeyUsageOID.CLIENT_AUTH,
                   names=[x509.DNSName("zm-001.devices.hospital.example")], urls=urls)


def test_device_dns_domain_and_id_pattern_are_settings(store: Store, unlocked: ca.UnlockedCa) -> None:
    settings.set_value(store, "device-dns-domain", "monitors.example.org")
    settings.set_value(store, "device-id-pattern", r"ZMX-[0-9]{4}")
    issued = issuance.issue_device(store, unlocked, "ZMX-0042", generate="ec-p256")
    san = issued.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert list(san) == [x509.DNSName("zmx-0042.monitors.example.org")]
    with pytest.raises(PolicyError, match="site pattern"):
        issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")


def test_validity_in_days(store: Store, unlocked: ca.UnlockedCa, now: datetime) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", days=30, now=now)
    assert_validity(issued.certificate, now, 30)
    settings.set_value(store, "device-days", "100")
    issued = issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256", now=now)
    assert_validity(issued.certificate, now, 100)


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_validity_out_of_range_is_refused(days: int, store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    before = storestate.snapshot(home)
    with pytest.raises(InputError, match="between 1 and 3650 days"):
        issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", days=days)
    assert storestate.snapshot(home) == before


def test_not_after_is_clamped_to_the_ca(store: Store, ca_subject: x509.Name, now: datetime) -> None:
    short = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=30, now=now)
    issued = issuance.issue_device(store, short, "ZM-001", generate="ec-p256", now=now)
    assert issued.clamped
    assert issued.certificate.not_valid_after_utc == short.certificate.not_valid_after_utc
    server = issuance.issue_server(store, short, "telemetry.hospital.example", generate="ec-p256", days=200,
                                   now=now)
    assert server.clamped
    assert server.certificate.not_valid_after_utc == short.certificate.not_valid_after_utc
    unclamped = issuance.issue_device(store, short, "ZM-002", generate="ec-p256", days=10, now=now)
    assert not unclamped.clamped


def test_a_ca_about_to_expire_issues_nothing(store: Store, home: Path, ca_subject: x509.Name) -> None:
    now = datetime.now(UTC)
    dying = ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=1,
                      now=now - timedelta(hours=12))
    before = storestate.snapshot(home)
    with pytest.raises(ConflictError, match="set up a new CA"):
        issuance.issue_device(store, dying, "ZM-001", generate="ec-p256", now=now)
    assert storestate.snapshot(home) == before


def test_serials_are_large_positive_and_unique(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    serials = []
    for n in range(40):
        device_id = f"ZM-{n:03d}"
        issued = issuance.issue_device(store, unlocked, device_id, csr=build_csr(device_id, key=key))
        serials.append(issued.certificate.serial_number)
    assert len(set(serials)) == len(serials)
    assert all(s > 0 and s.bit_length() >= 64 for s in serials)
    stored = [r["serial"] for r in storestate.rows(home, "certificates")]
    assert sorted(stored) == sorted(profiles.serial_hex(s) for s in serials)
    assert all(s == s.upper() and int(s, 16) > 0 for s in stored)


def test_a_der_csr_is_accepted(store: Store, unlocked: ca.UnlockedCa) -> None:
    csr = x509.load_der_x509_csr(pki.data("good_zm001.csr.der"))
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data("good_zm001.csr.der"))
    assert keys.spki(issued.certificate.public_key()) == keys.spki(csr.public_key())
    assert issued.certificate.subject.rfc4514_string() == "CN=ZM-001,OU=ICU,O=Hospital,C=US"


def test_the_device_record_keeps_ward_and_location(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", ward="NICU", location="Bed 4")
    assert [(r["device_id"], r["ward"], r["location"]) for r in storestate.rows(home, "devices")] == [
        ("ZM-001", "NICU", "Bed 4")]
