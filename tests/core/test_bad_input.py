"""Bad input (issue 2 "Acceptance"): each is refused with a message that names the problem and the fix, and
the store is left exactly as it was (no audit entry either: only security events are audited).

The odd CSRs are committed files in tests/data, made by tests/data/make_data.py.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509

from tests.conftest import build_csr
from tests.support import pki, storestate
from zmconsole.cli import errors as cli_errors
from zmconsole.core import ca, exports, inventory, issuance, keys, revocation, settings
from zmconsole.core.errors import ConflictError, InputError, NotFoundError, PolicyError, ZmError
from zmconsole.core.store import Store


def refused(home: Path, action: Callable[[], object], error: type[ZmError], *words: str) -> str:
    """Run ``action``; it must raise ``error`` whose text (as the command line says it, hint included) names
    every word, and change nothing in the store."""
    before, audit_before = storestate.snapshot(home), storestate.audit_actions(home)
    with pytest.raises(error) as raised:
        action()
    message = cli_errors.text(raised.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert "\n" not in message
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == audit_before
    return message


CSR_CASES = [
    ("garbage.csr", InputError, ["cannot be read", "export it again"]),
    ("garbage_pem.csr.pem", InputError, ["cannot be read"]),
    ("truncated.csr.pem", InputError, ["truncated"]),
    ("truncated.csr.der", InputError, ["truncated"]),
    ("broken_signature.csr.der", PolicyError, ["signature does not verify"]),
    ("rsa1024.csr.pem", PolicyError, ["1024 bits", "at least 2048"]),
    ("ec_p521.csr.pem", PolicyError, ["secp521r1", "P-256 or P-384"]),
    ("ca_true.csr.pem", PolicyError, ["CA:TRUE"]),
    ("server_auth_eku.csr.pem", PolicyError, ["serverAuth", "beyond clientAuth"]),
    ("cn_zm002.csr.pem", PolicyError, ["CN is 'ZM-002' but must be 'ZM-001'"]),
    ("cn_bad_pattern.csr.pem", PolicyError, ["CN is 'monitor-7' but must be 'ZM-001'"]),
    ("wrong_org.csr.pem", PolicyError, ["O is 'Other Clinic' but must be 'Hospital'"]),
    ("extra_attribute.csr.pem", PolicyError, ["L is not allowed"]),
    ("unexpected_extension.csr.pem", PolicyError, ["unexpected extension", "nameConstraints"]),
]


@pytest.mark.parametrize(("name", "error", "words"), CSR_CASES, ids=[c[0] for c in CSR_CASES])
def test_odd_csr_is_refused_and_nothing_changes(name: str, error: type[ZmError], words: list[str], store: Store,
                                                home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-100", generate="ec-p256")  # something in the store to keep
    message = refused(home, lambda: issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data(name)),
                      error, *words)
    if error is PolicyError:
        assert message.startswith("The CSR for ZM-001 was refused: ")
        assert message.endswith("Fix the request on the device and send it again.")


def test_the_good_csr_from_the_same_generator_is_accepted(store: Store, unlocked: ca.UnlockedCa) -> None:
    """The positive control for the cases above."""
    for name in ("good_zm001.csr.pem", "good_zm001.csr.der"):
        issued = issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data(name))
        revocation.revoke(store, issued.serial, "superseded")


def test_every_violation_is_named_at_once(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    csr = build_csr("ZM-002", key=keys.generate("ec-p256"), org="Elsewhere",
                    extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)])
    message = refused(home, lambda: issuance.issue_device(store, unlocked, "ZM-001", csr=csr), PolicyError,
                      "CA:TRUE", "O is 'Elsewhere'", "CN is 'ZM-002'")
    assert message.count(";") >= 2


def test_a_csr_asking_for_names_not_its_own_gets_the_profile_san_only(store: Store, unlocked: ca.UnlockedCa) -> None:
    """As ``openssl ca`` with copy_extensions = none: the requested SAN is ignored, and the result says so."""
    san = x509.SubjectAlternativeName([x509.DNSName("zm-001.devices.hospital.example"), x509.DNSName("bank.example"),
                                       x509.IPAddress(ipaddress.ip_address("10.20.30.40"))])
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=build_csr("ZM-001", extensions=[(san, False)]))
    names = issued.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == ["zm-001.devices.hospital.example"]
    assert issued.ignored_names == ("DNS:bank.example", "IP:10.20.30.40")


def test_a_ward_that_contradicts_the_csr_is_refused(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    refused(home, lambda: issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data("good_zm001.csr.pem"),
                                                ward="NICU"), PolicyError, "OU is 'ICU'", "'NICU'")


def test_an_oversized_csr_is_refused(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    refused(home, lambda: issuance.issue_device(store, unlocked, "ZM-001", csr=b"0" * 70_000), InputError,
            "larger than any real request")


@pytest.mark.parametrize("device_id", ["ZM001", "zm-001", "ZM-", "ZM-1a", "", "ZM-001 ", "ZM-0001.evil"])
def test_a_device_id_that_breaks_the_pattern_is_refused(device_id: str, store: Store, home: Path,
                                                        unlocked: ca.UnlockedCa) -> None:
    refused(home, lambda: issuance.issue_device(store, unlocked, device_id, generate="ec-p256"), PolicyError,
            "does not match the site pattern", "for example ZM-001")


def test_a_pattern_that_allows_non_dns_characters_is_still_refused(store: Store, home: Path,
                                                                    unlocked: ca.UnlockedCa) -> None:
    settings.set_value(store, "device-id-pattern", r"ZM_[0-9]+")
    refused(home, lambda: issuance.issue_device(store, unlocked, "ZM_1", generate="ec-p256"), PolicyError,
            "DNS label")


@pytest.mark.parametrize(("kwargs", "words"), [
    ({}, "either a CSR"),
    ({"generate": "ec-p256", "csr": b"x"}, "not both"),
    ({"generate": "rsa1024"}, "key type must be one of rsa2048, ec-p256"),
    ({"generate": "rsa4096"}, "key type must be one of"),
])
def test_key_mode_arguments(kwargs: dict[str, object], words: str, store: Store, home: Path,
                            unlocked: ca.UnlockedCa) -> None:
    refused(home, lambda: issuance.issue_device(store, unlocked, "ZM-001", **kwargs), InputError,  # type: ignore[arg-type]
            words)


def test_a_second_certificate_for_an_active_device_is_refused(store: Store, home: Path,
                                                              unlocked: ca.UnlockedCa) -> None:
    first = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    for attempt in ({"generate": "rsa2048"}, {"csr": pki.data("good_zm001.csr.pem")}):
        refused(home, lambda a=attempt: issuance.issue_device(store, unlocked, "ZM-001", **a),  # type: ignore[misc]
                ConflictError, "ZM-001 already has an active certificate", first.serial, "renew or revoke it first")


def test_after_revocation_a_device_can_be_issued_again(store: Store, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    revocation.revoke(store, "ZM-001", "lost")
    again = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    assert inventory.current_certificate(store, settings.load(store), "ZM-001").serial == again.serial


@pytest.mark.parametrize(("hostname", "dns", "ips", "words"), [
    ("not a host!", [], [], "not a valid host name"),
    ("-bad.example", [], [], "not a valid host name"),
    ("ok.hospital.example", ["bad_name.example"], [], "not a valid host name"),
    ("ok.hospital.example", [], ["10.0.0.300"], "is not an IP address"),
    ("ok.hospital.example", [], ["telemetry"], "is not an IP address"),
])
def test_bad_server_names_are_refused(hostname: str, dns: list[str], ips: list[str], words: str, store: Store,
                                      home: Path, unlocked: ca.UnlockedCa) -> None:
    refused(home, lambda: issuance.issue_server(store, unlocked, hostname, dns=dns, ips=ips, generate="ec-p256"),
            InputError, words)


def test_a_server_csr_with_client_auth_or_the_wrong_name_is_refused(store: Store, home: Path,
                                                                    unlocked: ca.UnlockedCa) -> None:
    csr = build_csr("other.hospital.example", ou=None)
    refused(home, lambda: issuance.issue_server(store, unlocked, "telemetry.hospital.example", csr=csr),
            PolicyError, "CN is 'other.hospital.example' but must be 'telemetry.hospital.example'")
    device_csr = pki.data("good_zm001.csr.pem")
    refused(home, lambda: issuance.issue_server(store, unlocked, "telemetry.hospital.example", csr=device_csr),
            PolicyError, "CN is 'ZM-001'")


# --- unknown devices and serials ------------------------------------------------------------------------


def test_an_unknown_device_is_a_clear_error_everywhere(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    current = settings.load(store)
    refused(home, lambda: inventory.device(store, current, "ZM-999"), NotFoundError, "No device 'ZM-999'",
            "zmconsole device list")
    refused(home, lambda: inventory.current_certificate(store, current, "ZM-999"), NotFoundError, "ZM-999")
    refused(home, lambda: inventory.certificate(store, current, "ABCDEF"), NotFoundError, "serial 'ABCDEF'")
    refused(home, lambda: revocation.revoke(store, "ZM-999", "lost"), NotFoundError,
            "No device or certificate 'ZM-999'", "device list")


def test_an_unknown_reason_is_refused(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    refused(home, lambda: revocation.revoke(store, "ZM-001", "stolen"), InputError, "'stolen'",
            "lost, compromised, decommissioned, superseded")


def test_revoking_twice_is_a_clear_error_not_a_second_entry(store: Store, home: Path,
                                                            unlocked: ca.UnlockedCa) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    revocation.revoke(store, "ZM-001", "lost")
    refused(home, lambda: revocation.revoke(store, "ZM-001", "compromised"), ConflictError,
            "ZM-001 is already revoked", issued.serial, "lost", "nothing to do")
    refused(home, lambda: revocation.revoke(store, issued.serial, "lost"), ConflictError,
            f"Certificate {issued.serial} (ZM-001) is already revoked")
    crl = x509.load_der_x509_crl(revocation.generate_crl(store, unlocked).der)
    assert [r.serial_number for r in crl] == [issued.certificate.serial_number]


def test_export_pkcs12_without_a_held_key_is_refused(store: Store, home: Path, unlocked: ca.UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", csr=pki.data("good_zm001.csr.pem"))
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    refused(home, lambda: exports.export_pkcs12(store, unlocked, record, password="long enough password"),
            NotFoundError, "does not hold the private key", "Export PEM or DER")
    refused(home, lambda: exports.export_pkcs12(store, unlocked, record, password="short"), InputError,
            "too short")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("crl-url", "ftp://pki.example/x.crl", "http or https URL"),
    ("threshold-soon", "120", "fall from warn to urgent"),
    ("device-days", "0", "greater than zero"),
    ("device-id-pattern", "ZM-[", "not a valid regular expression"),
    ("no-such-setting", "1", "no setting called"),
])
def test_bad_settings_are_refused(key: str, value: str, words: str, store: Store, home: Path) -> None:
    refused(home, lambda: settings.set_value(store, key, value), InputError, words)
