"""A CSR subject with two CNs is refused in words that do not contradict themselves (issue 9): before, two
equal CNs passed the policy and the pairing said "has CN=ZM-031, but this pairing is for ZM-031"."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zmconsole.core import policy


def test_two_equal_common_names_are_named_as_such() -> None:
    problem = policy.common_name_problem(["ZM-031", "ZM-031"], "ZM-031")
    assert problem == "the subject has 2 CNs ('ZM-031', 'ZM-031') but must have exactly one, 'ZM-031'"
    assert policy.common_name_problem(["ZM-031"], "ZM-031") is None
    assert policy.common_name_problem([], "ZM-031") == "CN is missing (it must be 'ZM-031')"
    assert policy.common_name_problem(["ZM-032"], "ZM-031") == "CN is 'ZM-032' but must be 'ZM-031'"


def test_the_subject_policy_refuses_a_second_cn() -> None:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ZM-031"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "ZM-031")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(
        ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Z-Monitor-CA")])
    problems = [str(v) for v in policy.subject_violations(csr.subject, issuer, "ZM-031")]
    assert any("2 CNs" in p and "exactly one" in p for p in problems), problems
    assert not any("but this pairing is for ZM-031" in p for p in problems)
