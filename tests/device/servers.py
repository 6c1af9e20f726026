"""Small servers on 127.0.0.1 for the device agent's unit tests, started and stopped by each test.

* :class:`FakeService`: a provisioning service built from docs/pairing-protocol.md §7 and the protocol's
  reference functions, with knobs for the misbehaviour the device must catch (foreign TLS certificate,
  wrong CA list, tampered bundle, wrong signer, someone else's certificate). The real service
  (``zmconsole serve``) is exercised by tests/e2e.
* :func:`https_site`: an HTTPS site requiring (or, like nginx, judging after the handshake) client certs.
* :func:`http_crl`: the plain-HTTP CRL distribution point.
"""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.device.pki import KEY_PASSWORD, Pki
from zmconsole.core import keys
from zmconsole.core.pairing import bundle as zmb
from zmconsole.core.pairing import protocol as zmp

PEM = serialization.Encoding.PEM
DER = serialization.Encoding.DER


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], context: ssl.SSLContext | None) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def server_context(cert: Path, key: Path, *, client_ca: bytes | None = None, crl_file: Path | None = None,
                   verify: ssl.VerifyMode = ssl.CERT_REQUIRED) -> ssl.SSLContext:
    """A TLS server for ``cert``; with ``client_ca`` it requires client certificates from that CA, and with
    ``crl_file`` (DER) it refuses revoked ones with a TLS alert (hard fail)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key, password=KEY_PASSWORD)
    if client_ca is not None:
        context.verify_mode = verify
        context.load_verify_locations(cadata=client_ca.decode())
    if crl_file is not None:  # OpenSSL's file lookup loads CRLs as well as certificates, but only PEM
        pem_file = crl_file.with_suffix(".pem")
        pem_file.write_bytes(x509.load_der_x509_crl(crl_file.read_bytes()).public_bytes(PEM))
        context.load_verify_locations(cafile=pem_file)
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    return context


def _reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
           headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _error(handler: BaseHTTPRequestHandler, status: int, code: str, message: str) -> None:
    _reply(handler, status, json.dumps({"error": {"code": code, "message": message}}).encode(), "application/json")


# --- the fake provisioning service ----------------------------------------------------------------------


@dataclass
class Pairing:
    device_id: str
    key_mode: zmp.KeyMode
    token: bytes
    auth_key: bytes
    failures: int = 0
    used: bool = False
    sealed: bytes = b""
    certificate: x509.Certificate | None = None


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeService:
    """A provisioning service for ``pki``, speaking docs/pairing-protocol.md §7 on an ephemeral port."""

    pki: Pki
    directory: Path
    crl_url: str = ""
    tls_pki: Pki | None = None  # whose certificate the TLS server presents (default: ``pki``)
    signer_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    signer_chain: bytes = b""  # PEM served for the signer (default: a proper signer certificate + CA)
    cacerts: list[x509.Certificate] | None = None  # CA list served (default: the platform CA)
    tamper_bundle: bool = False
    foreign_certificate: bool = False  # answer enrollment with a certificate for another key
    pairings: dict[bytes, Pairing] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    url: str = ""
    device_days: float = 365  # validity of the certificates it issues
    # renewal (§7.7): successor by old serial, with the CSR that made it; confirmed new serials
    renewals: dict[int, tuple[bytes, x509.Certificate]] = field(default_factory=dict)
    confirmed: set[int] = field(default_factory=set)
    refuse_new_identity: bool = False  # answer 400 to GETs made with a renewed certificate (a failing smoke test)
    renewal_refusal: tuple[int, str] | None = None  # answer every simplereenroll with this status and code

    def pair(self, device_id: str, key_mode: zmp.KeyMode = zmp.KeyMode.DEVICE_KEY, *,
             ttl: timedelta = timedelta(minutes=30), code: str = "40721937") -> str:
        """Prepare a pairing as the console would; return the QR text (the code is ``code``)."""
        token = zmp.new_token()
        code_keys = zmp.derive_code_keys(token, device_id, code)
        pairing = Pairing(device_id, key_mode, token, code_keys.auth_key)
        if key_mode is zmp.KeyMode.CONSOLE_KEY:
            key = ec.generate_private_key(ec.SECP256R1())
            pairing.certificate = self.pki.device(device_id, key.public_key(), crl_url=self.crl_url)
            der = key.private_bytes(DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            pairing.sealed = zmp.seal_key(code_keys.enc_key, der, token=token, device_id=device_id)
        self.pairings[token] = pairing
        return zmp.build_payload(device_id=device_id, provisioning_url=self.url, token=token,
                                 expires_at=datetime.now(UTC) + ttl, ca_fingerprint=zmp.certificate_fingerprint(
                                     self.pki.certificate), key_mode=key_mode, signer_key=self.signer_key)

    @contextmanager
    def running(self) -> Iterator[FakeService]:
        tls_pki = self.tls_pki or self.pki
        cert, key = tls_pki.server(self.directory / "fake-service")
        if not self.signer_chain:
            self.signer_chain = self.pki.signer(self.signer_key).public_bytes(PEM) + self.pki.pem
        context = server_context(cert, key, client_ca=self.pki.pem, verify=ssl.CERT_OPTIONAL)
        with serve(self._handler(), context) as server:
            self.url = f"https://127.0.0.1:{server.server_address[1]}/"
            yield self

    def paths(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.requests]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                service._record(self, b"")
                peer = _peer(self)
                renewed = {c.serial_number for _, c in service.renewals.values()}
                if service.refuse_new_identity and peer is not None and peer.serial_number in renewed:
                    _reply(self, 400, b"<html>400 The SSL certificate error</html>", "text/html")
                elif self.path == "/.well-known/est/cacerts":
                    certs = service.cacerts if service.cacerts is not None else [service.pki.certificate]
                    body = base64.encodebytes(pkcs7.serialize_certificates(certs, DER))
                    _reply(self, 200, body, "application/pkcs7-mime", {"Content-Transfer-Encoding": "base64"})
                elif self.path == "/zmp/v1/signers/" + zmp.signer_key_id(service.signer_key.public_key()).hex():
                    _reply(self, 200, service.signer_chain, "application/pem-certificate-chain")
                else:
                    _error(self, 404, "not_found", "No such resource.")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service._record(self, body)
                if self.path == "/.well-known/est/simplereenroll":
                    service._reenroll(self, body)
                elif self.path == "/zmp/v1/renewal/confirm":
                    service._confirm(self)
                else:
                    service._enroll(self, body)

        return Handler

    def _record(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        self.requests.append(Request(handler.command, handler.path, dict(handler.headers.items()), body))

    def _enroll(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        pairing = self.pairings.get(bytes.fromhex(handler.headers.get("ZM-Enrollment-Token", "")))
        if pairing is None or pairing.used:
            _error(handler, 410, "token_used", "This pairing code was already used: create a new one.")
            return
        bundle = handler.path == "/zmp/v1/bundle"
        der = b"" if bundle else base64.b64decode(body)
        purpose = zmp.ProofPurpose.BUNDLE if bundle else zmp.ProofPurpose.ENROLL
        proof = bytes.fromhex(handler.headers.get("ZM-Code-Proof", ""))
        if not zmp.verify_code_proof(pairing.auth_key, proof, purpose=purpose, token=pairing.token,
                                     device_id=pairing.device_id, body=der):
            pairing.failures += 1
            left = zmp.MAX_CODE_ATTEMPTS - pairing.failures
            _error(handler, 401, "wrong_code", f"The pairing code is wrong: {left} attempts left. Check the code "
                   "shown beside the QR code and type it again.")
            return
        pairing.used = True
        if bundle:
            self._send_bundle(handler, pairing)
            return
        csr = x509.load_der_x509_csr(der)
        key = ec.generate_private_key(ec.SECP256R1()).public_key() if self.foreign_certificate else csr.public_key()
        cert = self._issue(pairing.device_id, key)  # type: ignore[arg-type]
        answer = base64.encodebytes(pkcs7.serialize_certificates([cert], DER))
        _reply(handler, 200, answer, "application/pkcs7-mime; smime-type=certs-only",
               {"Content-Transfer-Encoding": "base64"})

    def _issue(self, device_id: str, public_key: keys.PublicKey) -> x509.Certificate:
        start = datetime.now(UTC) - timedelta(minutes=5)
        return self.pki.device(device_id, public_key, crl_url=self.crl_url, not_before=start,
                               not_after=start + timedelta(days=self.device_days))

    def _reenroll(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        """§7.7.1, the parts the device meets: mTLS, head of lineage, repeat, conflict, key reuse."""
        peer = _peer(handler)
        if peer is None:
            _error(handler, 401, "client_certificate_required", "Send the current device certificate.")
            return
        if self.renewal_refusal is not None:
            _error(handler, *self.renewal_refusal, "Refused by the test.")
            return
        der = base64.b64decode(body)
        if peer.serial_number in self.renewals:
            csr_der, certificate = self.renewals[peer.serial_number]
            if csr_der != der:
                _error(handler, 409, "renewal_conflict", "Send the same CSR again, or confirm.")
                return
        else:
            csr = x509.load_der_x509_csr(der)
            if keys.spki(csr.public_key()) == keys.spki(peer.public_key()):
                _error(handler, 403, "key_reused", "Generate a new key and send a new CSR.")
                return
            cn = str(peer.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value)
            certificate = self._issue(cn, csr.public_key())  # type: ignore[arg-type]
            self.renewals[peer.serial_number] = (der, certificate)
        answer = base64.encodebytes(pkcs7.serialize_certificates([certificate], DER))
        grace = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0)
        _reply(handler, 200, answer, "application/pkcs7-mime; smime-type=certs-only",
               {"Content-Transfer-Encoding": "base64", "ZM-Replaces-Serial": f"{peer.serial_number:X}",
                "ZM-Grace-Ends": grace.isoformat().replace("+00:00", "Z")})

    def _confirm(self, handler: BaseHTTPRequestHandler) -> None:
        peer = _peer(handler)
        if peer is None:
            _error(handler, 401, "client_certificate_required", "Send the new device certificate.")
            return
        if peer.serial_number in self.renewals:
            _error(handler, 409, "confirm_with_new", "Confirm with the new certificate.")
            return
        old = next((o for o, (_, c) in self.renewals.items() if c.serial_number == peer.serial_number), None)
        self.confirmed.add(peer.serial_number)
        at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        _reply(handler, 200, json.dumps({"confirmed_at": at, "serial": f"{peer.serial_number:X}",
                                         "superseded_serial": None if old is None else f"{old:X}"}).encode(),
               "application/json")

    def _send_bundle(self, handler: BaseHTTPRequestHandler, pairing: Pairing) -> None:
        assert pairing.certificate is not None
        bundle = zmb.build_bundle(device_id=pairing.device_id, token=pairing.token,
                                  certificate_pem=pairing.certificate.public_bytes(PEM).decode(),
                                  ca_chain_pem=self.pki.pem.decode(), crl_url=self.crl_url or "http://127.0.0.1:9/crl",
                                  renewal_url=self.url + ".well-known/est/simplereenroll", ocsp_url=None,
                                  sealed_key=pairing.sealed)
        body, signature = zmb.sign_bundle(bundle, self.signer_key)
        if self.tamper_bundle:
            body = body.replace(b'"ocsp_url":null', b'"ocsp_url":"x"')
        _reply(handler, 200, body, "application/json", {
            "ZM-Bundle-Signature": signature.hex(),
            "ZM-Signer-Key-Id": zmp.signer_key_id(self.signer_key.public_key()).hex()})


def _peer(handler: BaseHTTPRequestHandler) -> x509.Certificate | None:
    assert isinstance(handler.connection, ssl.SSLSocket)
    der = handler.connection.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der) if der else None


# --- a site requiring mutual TLS, and the CRL distribution point ----------------------------------------


@contextmanager
def https_site(context: ssl.SSLContext, *, refuse: Callable[[x509.Certificate | None], bool] | None = None
               ) -> Iterator[str]:
    """An HTTPS site answering ``GET /`` with 200; with ``refuse``, it answers 400 to the client certificates
    ``refuse`` picks, after the handshake, the way nginx does for a revoked certificate."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            assert isinstance(self.connection, ssl.SSLSocket)
            der = self.connection.getpeercert(binary_form=True)
            peer = x509.load_der_x509_certificate(der) if der else None
            if refuse is not None and refuse(peer):
                _reply(self, 400, b"<html>400 The SSL certificate error</html>", "text/html")
            elif self.path != "/":
                _reply(self, 404, b"not found\n", "text/plain")
            else:
                _reply(self, 200, b"hello, device\n", "text/plain")

    with serve(Handler, context) as server:
        yield f"https://127.0.0.1:{server.server_address[1]}/"


@dataclass
class CrlPoint:
    url: str
    crl: bytes = b""
    hits: int = 0


@contextmanager
def http_crl(crl: bytes = b"") -> Iterator[CrlPoint]:
    """``GET /crl`` over plain HTTP answering ``point.crl`` (404 while it is empty)."""
    point = CrlPoint("", crl)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            point.hits += 1
            if self.path == "/crl" and point.crl:
                _reply(self, 200, point.crl, "application/pkix-crl")
            else:
                _reply(self, 404, b"", "text/plain")

    with serve(Handler, None) as server:
        point.url = f"http://127.0.0.1:{server.server_address[1]}/crl"
        yield point


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
