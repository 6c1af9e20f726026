"""Typed CSR violations (``policy.check_csr``), one verification per CSR, and the pairing codes they map to.

Every rule a CSR can break yields a :class:`Violation` of a named kind; the pairing answers turn the kinds into
the protocol's error codes (``answers.CSR_ERROR_CODES``); issuance signs a :class:`CheckedCsr` without checking
it again.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.conftest import build_csr
from zmconsole.core import issuance, policy
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import PolicyError
from zmconsole.core.pairing import answers
from zmconsole.core.policy import CheckedCsr, ViolationKind
from zmconsole.core.settings import Settings
from zmconsole.core.store import Store

DNS = "zm-001.devices.hospital.example"


def tampered(pem: bytes) -> x509.CertificateSigningRequest:
    """A CSR whose signature no longer verifies: one bit of its signature flipped."""
    der = bytearray(x509.load_pem_x509_csr(pem).public_bytes(serialization.Encoding.DER))
    der[-3] ^= 0x01
    return x509.load_der_x509_csr(bytes(der))


def check(csr: x509.CertificateSigningRequest | bytes, *, ca_subject: x509.Name | None = None) -> CheckedCsr:
    parsed = policy.load_csr(csr) if isinstance(csr, bytes) else csr
    return policy.check_csr(parsed, common_name="ZM-001", expected_names=[DNS, "ZM-001"], ca_subject=ca_subject)


def kinds(checked: CheckedCsr) -> set[ViolationKind]:
    return {v.kind for v in checked.violations}


WEAK_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test


@pytest.mark.parametrize(("csr", "kind", "words"), [
    (lambda: tampered(build_csr()), ViolationKind.SIGNATURE, "signature does not verify"),
    (lambda: build_csr(key=WEAK_KEY), ViolationKind.KEY, "1024 bits"),
    (lambda: build_csr(key=ec.generate_private_key(ec.SECP521R1())), ViolationKind.KEY, "secp521r1"),
    (lambda: build_csr(extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)]),
     ViolationKind.EXTENSIONS, "CA:TRUE"),
    (lambda: build_csr(extensions=[(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), False)]),
     ViolationKind.EXTENSIONS, "codeSigning"),
    (lambda: build_csr("ZM-002"), ViolationKind.COMMON_NAME, "CN is 'ZM-002' but must be 'ZM-001'"),
    (lambda: build_csr(extra=[x509.NameAttribute(NameOID.COMMON_NAME, "ZM-001")]), ViolationKind.COMMON_NAME,
     "the subject has 2 CNs"),
])
def test_each_rule_yields_a_violation_of_its_kind(csr: object, kind: ViolationKind, words: str) -> None:
    checked = check(csr())  # type: ignore[operator]
    assert kind in kinds(checked)
    assert any(words in str(v) for v in checked.violations if v.kind is kind), checked.violations


def test_the_subject_rules_are_their_own_kind(ca_subject: x509.Name) -> None:
    checked = check(build_csr(country="FR", extra=[x509.NameAttribute(NameOID.LOCALITY_NAME, "Lyon")]),
                    ca_subject=ca_subject)
    assert kinds(checked) == {ViolationKind.SUBJECT}
    assert [str(v) for v in checked.violations] == ["C is 'FR' but must be 'US', as in the CA",
                                                    "L is not allowed in the subject"]
    assert check(build_csr(), ca_subject=ca_subject).violations == ()


def test_a_good_csr_has_no_violation_and_names_its_key_and_ou(ca_subject: x509.Name) -> None:
    checked = check(build_csr(ou="ICU"), ca_subject=ca_subject)
    assert checked.violations == () and checked.requested_ou == "ICU" and checked.public_key is not None
    assert checked.accepted("ZM-001") is checked
    with pytest.raises(PolicyError, match="The CSR for ZM-001 was refused: CN is 'ZM-002'") as caught:
        check(build_csr("ZM-002")).accepted("ZM-001")
    assert caught.value.violations == ["CN is 'ZM-002' but must be 'ZM-001'"]


@pytest.mark.parametrize(("csr", "code"), [
    (lambda: tampered(build_csr()), "malformed_request"),
    (lambda: tampered(build_csr("ZM-002")), "malformed_request"),  # a damaged request says nothing reliable
    (lambda: build_csr("ZM-002"), "device_mismatch"),
    (lambda: build_csr(key=WEAK_KEY), "policy_refused"),
    (lambda: build_csr(extensions=[(x509.BasicConstraints(ca=True, path_length=None), True)]), "policy_refused"),
])
def test_violation_kinds_map_to_protocol_codes(csr: object, code: str) -> None:
    checked = check(csr())  # type: ignore[operator]
    refused = answers.csr_refusal("ZM-001", checked)
    assert refused.code == code and refused.authenticated
    if code == "device_mismatch":
        assert str(refused) == ("The certificate request has CN=ZM-002, but this pairing is for ZM-001: the CSR's "
                                "subject must be CN=ZM-001.")


def test_an_unreadable_enrollment_csr_is_a_malformed_request() -> None:
    refused = answers.check_enrollment_csr(b"\x30\x03\x02\x01\x00", "ZM-001", Settings())
    assert isinstance(refused, answers.PairingRefused) and refused.code == "malformed_request"


def test_issuance_verifies_a_checked_csr_no_second_time(store: Store, unlocked: UnlockedCa, now: datetime,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = check(build_csr(country="US", org="Hospital"), ca_subject=unlocked.certificate.subject)
    assert checked.violations == ()
    calls: list[str] = []
    real = policy.check_csr
    monkeypatch.setattr(policy, "check_csr", lambda *a, **k: calls.append("checked") or real(*a, **k))
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=checked, now=now)
    assert calls == [] and issued.certificate.public_key() == checked.public_key
    issuance.issue_device(store, unlocked, "ZM-002", csr=build_csr("ZM-002"), now=now)  # raw bytes: checked here
    assert calls == ["checked"]


def test_issuance_refuses_a_checked_csr_with_violations(store: Store, unlocked: UnlockedCa, now: datetime) -> None:
    checked = check(build_csr("ZM-002"))
    with pytest.raises(PolicyError, match="CN is 'ZM-002'"):
        issuance.issue_device(store, unlocked, "ZM-001", csr=checked, now=now)


def test_a_ward_that_contradicts_the_requested_ou_is_a_ward_violation(store: Store, unlocked: UnlockedCa,
                                                                      now: datetime) -> None:
    with pytest.raises(PolicyError, match="OU is 'ICU' but the ward given is 'Cardio'"):
        issuance.issue_device(store, unlocked, "ZM-001", csr=build_csr(ou="ICU"), ward="Cardio", now=now)
