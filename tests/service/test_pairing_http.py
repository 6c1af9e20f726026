"""The pairing endpoints of a running ``zmconsole serve``, spoken to like a device over verified TLS.

Successes are checked by referees (``openssl pkcs7``, ``openssl verify``, the protocol's own bundle
verification); every refusal is checked for its documented status and code, and for nothing issued
(the certificates table is unchanged).
"""

from __future__ import annotations

import base64
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.conftest import PASSPHRASE
from tests.support import cli, referees, storestate
from tests.support.service import (
    BUNDLE,
    ENROLL,
    Answer,
    Pairing,
    RunningService,
    call,
    device_csr,
    enroll,
    pull,
    signer_certificates,
)
from zmconsole.core import ca
from zmconsole.core.pairing import bundle as pairing_bundle
from zmconsole.core.pairing import protocol, tickets
from zmconsole.core.pairing.protocol import ProofPurpose
from zmconsole.core.store import Store


def certificates(service: RunningService) -> list[tuple[object, ...]]:
    with closing(storestate.connect(service.home)) as conn:
        return conn.execute("SELECT serial, device_id, revoked_at FROM certificates ORDER BY id").fetchall()


def device_certificates(service: RunningService, device_id: str) -> list[tuple[object, ...]]:
    return [row for row in certificates(service) if row[1] == device_id]


def refused(answer: Answer, status: int, code: str) -> dict[str, object]:
    assert answer.status == status, (answer.status, answer.body)
    assert answer.headers["content-type"] == "application/json"
    error = answer.error
    assert error["code"] == code, error
    assert str(error["message"]).strip()
    return error


# --- successes ----------------------------------------------------------------------------------------------


def test_device_key_enrollment_issues_a_certificate_openssl_accepts(service: RunningService, device_id: str,
                                                                    out: Path) -> None:
    paired = Pairing.of(service.pair(device_id, "--ward", "ICU"))
    key = ec.generate_private_key(ec.SECP256R1())
    answer = enroll(service, paired, device_csr(device_id, key))

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/pkcs7-mime; smime-type=certs-only"
    assert answer.headers["content-transfer-encoding"] == "base64"
    p7 = out / "answer.p7b"
    p7.write_bytes(base64.b64decode(answer.body))
    printed = referees.openssl("pkcs7", "-inform", "DER", "-in", p7, "-print_certs")
    assert printed.returncode == 0, printed.output
    cert_file = out / "device.pem"
    cert_file.write_text(printed.stdout)
    verified = referees.verify(service.ca_file, cert_file, purpose="sslclient")
    assert verified.returncode == 0 and "OK" in verified.stdout, verified.output
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    assert cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
        == key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert cert.subject.rfc4514_string() == f"CN={device_id},OU=ICU,O=Hospital,C=US"
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert points[0].full_name == [x509.UniformResourceIdentifier(service.crl_url)]  # the crl-url setting
    assert len(device_certificates(service, device_id)) == 1


def test_console_key_bundle_verifies_and_its_key_opens(service: RunningService, device_id: str, out: Path) -> None:
    ticket = service.pair(device_id, "--generate-key")
    paired = Pairing.of(ticket)
    answer = pull(service, paired)

    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/json"
    key_id = bytes.fromhex(answer.headers["zm-signer-key-id"])
    assert key_id == paired.payload.signer_key_id
    chain = signer_certificates(service, key_id)
    signer_file, chain_file = out / "signer.pem", out / "ca.pem"
    signer_file.write_bytes(chain[0].public_bytes(serialization.Encoding.PEM))
    chain_file.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain[1:]))
    assert referees.verify(chain_file, signer_file).returncode == 0
    eku = chain[0].extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [protocol.PAIRING_SIGNER_EKU]
    public = chain[0].public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)

    bundle = pairing_bundle.verify_bundle(answer.body, bytes.fromhex(answer.headers["zm-bundle-signature"]), public,
                                            expected_device_id=device_id, token=paired.payload.token)
    sealed = base64.b64decode(str(bundle["sealed_key"]))
    der = protocol.open_key(paired.keys.enc_key, sealed, token=paired.payload.token, device_id=device_id)
    key = serialization.load_der_private_key(der, password=None)
    cert = x509.load_pem_x509_certificate(str(bundle["certificate"]).encode())
    assert cert.serial_number == int(str(ticket["serial"]), 16)
    assert key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
        == cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert bundle["crl_url"] == service.crl_url
    assert bundle["renewal_url"] == f"{service.provisioning_url}.well-known/est/simplereenroll"
    assert x509.load_pem_x509_certificate(str(bundle["ca_chain"]).encode()).fingerprint(hashes.SHA256()) \
        == paired.payload.ca_fingerprint
    # The sealed key cannot be opened with another code's key.
    with pytest.raises(protocol.PayloadError, match="cannot be opened"):
        protocol.open_key(paired.wrong_code_keys().enc_key, sealed, token=paired.payload.token,
                                  device_id=device_id)


def test_a_lost_response_is_answered_again_but_the_token_is_never_used_twice(service: RunningService,
                                                                            device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    der = device_csr(device_id)
    first = enroll(service, paired, der)
    again = enroll(service, paired, der)  # the device lost the first answer and retries
    assert first.status == again.status == 200
    assert again.body == first.body
    assert len(device_certificates(service, device_id)) == 1

    other = enroll(service, paired, device_csr(device_id))  # the same token with another key
    refused(other, 410, "token_used")
    cli.ok(service.home, "device", "revoke", device_id, "--reason", "lost")
    refused(enroll(service, paired, der), 410, "token_used")  # single use, also after the revocation
    assert len(device_certificates(service, device_id)) == 1


def test_cacerts_and_signers_are_public(service: RunningService, out: Path) -> None:
    answer = call(service, "GET", "/.well-known/est/cacerts")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pkcs7-mime"
    p7 = out / "cacerts.p7b"
    p7.write_bytes(base64.b64decode(answer.body))
    printed = referees.openssl("pkcs7", "-inform", "DER", "-in", p7, "-print_certs")
    assert printed.returncode == 0 and "CN = Z-Monitor-CA" in printed.stdout, printed.output
    refused(call(service, "GET", "/zmp/v1/signers/0011223344556677"), 404, "not_found")
    refused(call(service, "GET", "/zmp/v1/signers/not-hex"), 404, "not_found")


# --- refusals: each with its documented status and code, and nothing issued ---------------------------------


def test_an_altered_qr_fails_on_the_device_and_its_token_is_unknown_to_the_service(service: RunningService,
                                                                                  device_id: str) -> None:
    ticket = service.pair(device_id)
    text = str(ticket["qr_text"])
    position = len("ZMP1:") + 10  # inside the token
    altered = text[:position] + ("A" if text[position] != "A" else "B") + text[position + 1:]
    signer = signer_certificates(service, protocol.decode_payload(text).signer_key_id)[0].public_key()
    assert isinstance(signer, ec.EllipticCurvePublicKey)
    payload = protocol.decode_payload(altered)
    with pytest.raises(protocol.PayloadError, match="signature does not verify"):
        protocol.verify_payload(payload, signer, expected_device_id=device_id, now=payload.expires_at)
    before = certificates(service)
    paired = Pairing(altered, str(ticket["pairing_code"]))  # a device that skipped the signature check
    refused(enroll(service, paired, device_csr(device_id)), 410, "token_unknown")
    assert certificates(service) == before


def test_wrong_codes_count_down_then_burn_the_token(service: RunningService, device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    der = device_csr(device_id)
    wrong = paired.wrong_code_keys().auth_key
    body = base64.encodebytes(der)
    for left in (4, 3, 2, 1):
        answer = call(service, "POST", ENROLL, headers=paired.headers(ProofPurpose.ENROLL, der, auth_key=wrong),
                      body=body)
        assert refused(answer, 401, "wrong_code")["remaining_attempts"] == left
        assert answer.headers["www-authenticate"] == "ZMP1"
    fifth = call(service, "POST", ENROLL, headers=paired.headers(ProofPurpose.ENROLL, der, auth_key=wrong), body=body)
    assert "remaining_attempts" not in refused(fifth, 410, "token_burned")
    refused(enroll(service, paired, der), 410, "token_burned")  # the right code, too late
    assert device_certificates(service, device_id) == []


def test_an_expired_token_is_refused(service: RunningService, service_store: Store, device_id: str) -> None:
    unlocked = ca.unlock(service_store, PASSPHRASE)
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    ticket = tickets.prepare(service_store, unlocked, device_id, url=service.provisioning_url, ttl=60, now=an_hour_ago)
    paired = Pairing(ticket.qr_text, ticket.pairing_code)
    refused(enroll(service, paired, device_csr(device_id)), 410, "token_expired")
    assert device_certificates(service, device_id) == []


def test_a_token_for_another_device_is_refused(service: RunningService, device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    der = device_csr(device_id)
    other = f"{device_id}9"
    before = certificates(service)
    answer = call(service, "POST", ENROLL, headers=paired.headers(ProofPurpose.ENROLL, der, device_id=other),
                  body=base64.encodebytes(der))
    refused(answer, 403, "device_mismatch")
    # A CSR naming another device, with a right proof.
    refused(enroll(service, paired, device_csr(other)), 403, "device_mismatch")
    assert certificates(service) == before


def test_the_wrong_key_mode_is_refused_both_ways(service: RunningService, device_id: str) -> None:
    device_key = Pairing.of(service.pair(device_id))
    console_key = Pairing.of(service.pair(f"{device_id}8", "--generate-key"))
    before = certificates(service)
    refused(pull(service, device_key), 409, "wrong_key_mode")
    refused(enroll(service, console_key, device_csr(console_key.device_id)), 409, "wrong_key_mode")
    assert certificates(service) == before


@pytest.mark.parametrize("change", ["no-token", "short-token", "no-proof", "bad-proof-hex", "bad-device-id"])
def test_malformed_headers_are_refused(service: RunningService, device_id: str, change: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    der = device_csr(device_id)
    headers = paired.headers(ProofPurpose.ENROLL, der)
    if change == "no-token":
        del headers["ZM-Enrollment-Token"]
    elif change == "short-token":
        headers["ZM-Enrollment-Token"] = headers["ZM-Enrollment-Token"][:-2]
    elif change == "no-proof":
        del headers["ZM-Code-Proof"]
    elif change == "bad-proof-hex":
        headers["ZM-Code-Proof"] = "zz" + headers["ZM-Code-Proof"][2:]
    else:
        headers["ZM-Device-Id"] = "not a device/id"
    before = certificates(service)
    refused(call(service, "POST", ENROLL, headers=headers, body=base64.encodebytes(der)), 400, "malformed_request")
    assert certificates(service) == before
    assert enroll(service, paired, der).status == 200  # a malformed request did not count as a wrong code


@pytest.mark.parametrize("body", ["bad-base64", "garbage-csr", "broken-signature"])
def test_malformed_bodies_are_refused(service: RunningService, device_id: str, body: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    if body == "bad-base64":
        der, sent = b"\x00not a csr", b"@@@ not base64 @@@"
    elif body == "garbage-csr":
        der = b"\x30\x03\x02\x01\x00garbage"
        sent = base64.encodebytes(der)
    else:
        good = bytearray(device_csr(device_id))
        good[-5] ^= 0x01  # inside the signature
        der = bytes(good)
        sent = base64.encodebytes(der)
    before = certificates(service)
    answer = call(service, "POST", ENROLL, headers=paired.headers(ProofPurpose.ENROLL, der), body=sent)
    refused(answer, 400, "malformed_request")
    assert certificates(service) == before


def test_a_csr_breaking_the_site_policy_is_refused(service: RunningService, device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id))
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test
    before = certificates(service)
    error = refused(enroll(service, paired, device_csr(device_id, weak)), 403, "policy_refused")
    assert "1024" in str(error["message"])
    assert certificates(service) == before


def test_a_bundle_request_with_a_body_is_malformed(service: RunningService, device_id: str) -> None:
    paired = Pairing.of(service.pair(device_id, "--generate-key"))
    answer = call(service, "POST", BUNDLE, headers=paired.headers(ProofPurpose.BUNDLE, b"x"), body=b"x")
    refused(answer, 400, "malformed_request")
    assert pull(service, paired).status == 200


def test_unknown_paths_and_methods(service: RunningService) -> None:
    refused(call(service, "GET", "/nothing/here"), 404, "not_found")
    answer = call(service, "GET", ENROLL)
    refused(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "POST"
    refused(call(service, "GET", "/.well-known/est/cacerts", https=False), 404, "not_found")


def test_the_log_names_requests_but_never_secrets(service: RunningService, device_id: str) -> None:
    ticket = service.pair(device_id)
    paired = Pairing.of(ticket)
    der = device_csr(device_id)
    headers = paired.headers(ProofPurpose.ENROLL, der)
    assert enroll(service, paired, der).status == 200
    log = service.log()
    assert f'"POST {ENROLL}" 200' in log
    for secret in (str(ticket["pairing_code"]), headers["ZM-Enrollment-Token"], headers["ZM-Code-Proof"],
                   str(ticket["qr_text"])[5:40]):
        assert secret not in log


def test_a_flood_of_unknown_tokens_does_not_grow_the_audit_log(service: RunningService) -> None:
    """400 requests with made-up tokens, each under its own claimed device ID: a few audit entries, not 400."""
    def audit_entries() -> int:
        with closing(storestate.connect(service.home)) as conn:
            return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    before = audit_entries()
    body = base64.encodebytes(b"not a CSR")
    for n in range(400):
        headers = {"ZM-Device-Id": f"ZM-{7000 + n}", "ZM-Enrollment-Token": f"{n:032x}", "ZM-Code-Proof": "ab" * 32}
        refused(call(service, "POST", ENROLL, headers=headers, body=body), 410, "token_unknown")
    added = audit_entries() - before
    assert added <= 4, f"{added} audit entries for 400 unauthenticated refusals"
