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

from zmconsole.core import ca, issuance, ocsp, paths, revocation
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


def test_unknown_serial_and_foreign_issuer(store, unlocked, tmp_path, ca_subject, home):
    other_store = Store.open(paths.ensure_home(home.parent / "other"))
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
    other_store.dispose()


def test_garbage_request_is_malformed(store, unlocked):
    answer = x509_ocsp.load_der_ocsp_response(ocsp.respond(store, unlocked, b"\x30\x03garbage"))
    assert answer.response_status is x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST
