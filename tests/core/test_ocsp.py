"""OCSP answers checked by `openssl ocsp`, a client we did not write, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as x509_ocsp
from pyasn1.codec.der import decoder as der_decoder
from pyasn1.codec.der import encoder as der_encoder
from pyasn1.type import univ
from pyasn1_alt_modules import rfc5280, rfc6960

from tests.support import referees
from zmconsole.core import ca, issuance, ocsp, revocation
from zmconsole.core.store import Store


@pytest.fixture
def responder(store: Store, unlocked: ca.UnlockedCa) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = ocsp.respond(store, unlocked, body)
            self.send_response(200)
            self.send_header("Content-Type", "application/ocsp-response")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ocsp"
    server.shutdown()
    server.server_close()


def _openssl_ocsp(tmp_path: Path, unlocked: ca.UnlockedCa, cert: x509.Certificate, url: str) -> str:
    ca_pem = tmp_path / "ca.pem"
    ca_pem.write_bytes(unlocked.info.pem)
    leaf = tmp_path / "leaf.pem"
    leaf.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    done = subprocess.run(["openssl", "ocsp", "-issuer", str(ca_pem), "-cert", str(leaf), "-url", url,
                           "-CAfile", str(ca_pem), "-resp_text"], capture_output=True, text=True, timeout=30)
    assert "Response verify OK" in done.stderr + done.stdout, done.stderr
    return done.stdout


def test_good_then_revoked_with_reason(store, unlocked, make_csr, responder, tmp_path):
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    assert "leaf.pem: good" in _openssl_ocsp(tmp_path, unlocked, issued.certificate, responder)
    revocation.revoke(store, "ZM-001", "compromised")
    out = _openssl_ocsp(tmp_path, unlocked, issued.certificate, responder)
    assert "leaf.pem: revoked" in out
    assert "Key Compromise" in out or "keyCompromise" in out


def test_unknown_serial_and_foreign_issuer(store, unlocked, ca_subject, other_store):
    other = ca.create(other_store, subject=ca_subject, passphrase="another passphrase", key_type="ec-p384")
    foreign = issuance.issue_device(other_store, other, "ZM-009", generate="ec-p256")
    # Same CA name, different key: the issuer key hash differs, so we are not authoritative.
    request = (x509_ocsp.OCSPRequestBuilder()
               .add_certificate(foreign.certificate, other.certificate, hashes.SHA1()).build())
    answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(store, unlocked, request.public_bytes(
        serialization.Encoding.DER)))
    assert answer.response_status is x509_ocsp.OCSPResponseStatus.UNAUTHORIZED
    # A serial of ours that was never issued is "unknown", signed.
    request = (x509_ocsp.OCSPRequestBuilder()
               .add_certificate(foreign.certificate, unlocked.certificate, hashes.SHA1()).build())
    answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(store, unlocked, request.public_bytes(
        serialization.Encoding.DER)))
    assert answer.response_status is x509_ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status is x509_ocsp.OCSPCertStatus.UNKNOWN


def test_garbage_request_is_malformed(store, unlocked):
    answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(store, unlocked, b"\x30\x03garbage"))
    assert answer.response_status is x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST


# --- requests that get malformedRequest, not an internal error (pyasn1 builds what cryptography will not) -----

_NONCE_OID = "1.3.6.1.5.5.7.48.1.2"


def _request(issued: issuance.Issued, unlocked: ca.UnlockedCa, nonce: bytes | None = None) -> rfc6960.OCSPRequest:
    """A valid request for ``issued`` (SHA-1 CertID), decoded by pyasn1 so a test can damage one field."""
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate(issued.certificate, unlocked.certificate, hashes.SHA1())
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    der = builder.build().public_bytes(serialization.Encoding.DER)
    decoded, rest = der_decoder.decode(der, asn1Spec=rfc6960.OCSPRequest())
    assert not rest
    return decoded


def _cert_id(request: rfc6960.OCSPRequest) -> rfc6960.CertID:
    return request["tbsRequest"]["requestList"][0]["reqCert"]


def _nonce_extension(nonce: bytes) -> rfc5280.Extension:
    extension = rfc5280.Extension()
    extension["extnID"] = univ.ObjectIdentifier(_NONCE_OID)
    extension["critical"] = False
    extension["extnValue"] = der_encoder.encode(univ.OctetString(nonce))  # RFC 8954: OCTET STRING in extnValue
    return extension


def _answer(tmp_path: Path, store: Store, unlocked: ca.UnlockedCa,
            request: rfc6960.OCSPRequest | bytes) -> referees.Ran:
    """Our response to ``request``, as `openssl ocsp -respin` reads it."""
    der = request if isinstance(request, bytes) else der_encoder.encode(request)
    answer = tmp_path / "answer.der"
    answer.write_bytes(ocsp.respond(store, unlocked, der))
    return referees.openssl("ocsp", "-respin", answer, "-resp_text", "-noverify")


def _answered(tmp_path: Path, store: Store, unlocked: ca.UnlockedCa, request: rfc6960.OCSPRequest | bytes) -> str:
    done = _answer(tmp_path, store, unlocked, request)
    assert done.returncode == 0, done.output
    assert "OCSP Response Status: successful (0x0)" in done.stdout
    return done.stdout


def _malformed(tmp_path: Path, store: Store, unlocked: ca.UnlockedCa, request: rfc6960.OCSPRequest | bytes) -> None:
    done = _answer(tmp_path, store, unlocked, request)
    assert "Responder Error: malformedrequest (1)" in done.output, done.output


def test_an_md5_cert_id_is_malformed_by_openssl_s_own_request(store, unlocked, make_csr, responder, tmp_path):
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    (tmp_path / "ca.pem").write_bytes(unlocked.info.pem)
    (tmp_path / "leaf.pem").write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))
    done = referees.openssl("ocsp", "-md5", "-issuer", tmp_path / "ca.pem", "-cert", tmp_path / "leaf.pem",
                            "-url", responder, "-CAfile", tmp_path / "ca.pem")
    assert "Responder Error: malformedrequest (1)" in done.output, done.output


@pytest.mark.parametrize("oid", ["1.2.840.113549.2.5", "1.2.3.4.5"], ids=["md5", "unknown"])
def test_an_unknown_or_weak_hash_oid_is_malformed(store, unlocked, make_csr, tmp_path, oid):
    request = _request(issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001")), unlocked)
    _cert_id(request)["hashAlgorithm"]["algorithm"] = univ.ObjectIdentifier(oid)
    _malformed(tmp_path, store, unlocked, request)


def test_cert_id_hashes_of_the_wrong_length_are_malformed(store, unlocked, make_csr, tmp_path):
    request = _request(issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001")), unlocked)
    _cert_id(request)["issuerNameHash"] = univ.OctetString(b"\x00" * 7)
    _malformed(tmp_path, store, unlocked, request)


def test_a_negative_serial_is_malformed(store, unlocked, make_csr, tmp_path):
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    request = _request(issued, unlocked)
    _cert_id(request)["serialNumber"] = univ.Integer(-issued.certificate.serial_number)
    _malformed(tmp_path, store, unlocked, request)


def test_a_duplicate_nonce_is_malformed(store, unlocked, make_csr, tmp_path):
    request = _request(issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001")), unlocked,
                       nonce=b"n" * 16)
    request["tbsRequest"]["requestExtensions"].append(_nonce_extension(b"m" * 16))
    _malformed(tmp_path, store, unlocked, request)


def test_an_empty_nonce_is_malformed(store, unlocked, make_csr, tmp_path):
    request = _request(issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001")), unlocked,
                       nonce=b"n" * 16)
    request["tbsRequest"]["requestExtensions"][0] = _nonce_extension(b"")
    _malformed(tmp_path, store, unlocked, request)


@pytest.mark.parametrize(("size", "echoed"), [(1, True), (16, True), (32, True), (33, False), (200, False)])
def test_a_nonce_is_echoed_only_up_to_32_octets(store, unlocked, make_csr, tmp_path, size, echoed):
    """RFC 8954 §2.1: a nonce is 1 to 32 octets; a longer one is not echoed (the answer is still given)."""
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    nonce = bytes(range(256))[:size]
    text = _answered(tmp_path, store, unlocked, _request(issued, unlocked, nonce=nonce))
    assert "Cert Status: good" in text
    assert ("OCSP Nonce" in text) is echoed, text
    answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(store, unlocked, der_encoder.encode(
        _request(issued, unlocked, nonce=nonce))))
    nonces = [e.value.nonce for e in answer.extensions if isinstance(e.value, x509.OCSPNonce)]
    assert nonces == ([nonce] if echoed else [])


@pytest.mark.parametrize("algorithm", [hashes.SHA256(), hashes.SHA384(), hashes.SHA512()], ids=lambda a: a.name)
def test_sha2_cert_ids_are_answered(store, unlocked, make_csr, tmp_path, algorithm):
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    request = x509_ocsp.OCSPRequestBuilder().add_certificate(issued.certificate, unlocked.certificate, algorithm)
    text = _answered(tmp_path, store, unlocked, request.build().public_bytes(serialization.Encoding.DER))
    assert "Cert Status: good" in text
