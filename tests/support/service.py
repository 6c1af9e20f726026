"""The real ``zmconsole serve`` for a test: a separate process on free 127.0.0.1 ports, stopped with SIGTERM.

Use ``running_service(home)`` (a context manager) or the ``service`` fixture of ``tests/service/conftest.py``.
The home must already hold a CA (``make_ca``). The service picks its own free ports (``--listen
127.0.0.1:0``) and reports them in a ready file, so there is no race for a port. By default the fixture
also sets the ``crl-url`` setting to the service's ``/crl``, so certificates issued from then on carry
that distribution point.

Client helpers speak the protocol the way a device does, over TLS verified against the platform CA:
``call`` (one HTTP request, any bytes), ``Pairing`` (the token and code keys of a QR text, and the
pairing headers with a proof for a body).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from tests.conftest import PASSPHRASE, build_csr
from tests.support import cli
from zmconsole.core import ca
from zmconsole.core.pairing import protocol
from zmconsole.core.pairing.protocol import ProofPurpose
from zmconsole.core.store import Store

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def make_ca(home: Path, *, passphrase: str = PASSPHRASE) -> ca.CaInfo:
    """A fresh EC P-384 platform CA in ``home`` (fast to make)."""
    store = Store.open(home)
    try:
        subject = ca.build_subject(cn="Z-Monitor-CA", org="Hospital", ou="IT", country="US")
        return ca.create(store, subject=subject, passphrase=passphrase, key_type="ec-p384").info
    finally:
        store.dispose()


@dataclass
class RunningService:
    home: Path
    passphrase: str
    process: subprocess.Popen[bytes]
    https_port: int
    http_port: int
    provisioning_url: str  # https://127.0.0.1:PORT/
    crl_url: str  # http://127.0.0.1:PORT/crl
    ocsp_url: str
    hostname: str
    log_file: Path
    returncode: int | None = field(default=None)

    @property
    def ca_file(self) -> Path:
        return self.home / ca.CA_CERT_FILE

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def client_context(self) -> ssl.SSLContext:
        """TLS 1.2+, trusting only the platform CA, host name (IP) checked: what a device does after pinning."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def pair(self, device_id: str, *args: str | Path) -> dict[str, object]:
        """``zmconsole device pair ID --url <this service> --json ...``; the parsed JSON."""
        qr = args[args.index("--qr") + 1] if "--qr" in args else self.home / f"{device_id}-qr.png"
        extra = [] if "--qr" in args else ["--qr", qr]
        done = cli.ok(self.home, "device", "pair", device_id, "--url", self.provisioning_url, "--json", *extra, *args,
                      passphrase=self.passphrase)
        return json.loads(done.stdout)  # type: ignore[no-any-return]


@contextmanager
def running_service(home: Path, *, passphrase: str = PASSPHRASE, hostname: str = "localhost",
                    set_crl_url: bool = True, extra_args: tuple[str, ...] = (),
                    env: Mapping[str, str] | None = None) -> Iterator[RunningService]:
    """Start ``zmconsole --home HOME serve`` and yield it once both listeners accept connections."""
    ready = home / "serve-ready.json"
    ready.unlink(missing_ok=True)
    log_file = home / "serve.log"
    argv = cli.command(home, ["serve", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                              "--hostname", hostname, "--ready-file", ready, *extra_args])
    with log_file.open("wb") as log:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env=cli.environment(passphrase, env))
    running: RunningService | None = None
    try:
        info = _wait_ready(process, ready, log_file)
        running = RunningService(home, passphrase, process, info["https_port"], info["http_port"],
                                 info["provisioning_url"], info["crl_url"], info["ocsp_url"], info["hostname"],
                                 log_file)
        for port in (running.https_port, running.http_port):
            socket.create_connection(("127.0.0.1", port), timeout=10).close()
        if set_crl_url:
            cli.ok(home, "config", "set", "crl-url", running.crl_url, passphrase=passphrase)
        yield running
    finally:
        returncode = _stop(process)
        if running is not None:
            running.returncode = returncode


def _wait_ready(process: subprocess.Popen[bytes], ready: Path, log_file: Path) -> dict[str, object]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            return json.loads(ready.read_text())  # type: ignore[no-any-return]
        if process.poll() is not None:
            raise AssertionError(f"zmconsole serve exited with {process.returncode}:\n{log_file.read_text()}")
        time.sleep(0.05)
    raise AssertionError(f"zmconsole serve did not become ready:\n{log_file.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("zmconsole serve did not stop on SIGTERM") from None
    return process.returncode


# --- speaking to it ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def error(self) -> dict[str, object]:
        return json.loads(self.body)["error"]  # type: ignore[no-any-return]

    @property
    def code(self) -> str:
        return str(self.error["code"])


def call(service: RunningService, method: str, path: str, *, headers: Mapping[str, str] | None = None,
         body: bytes = b"", https: bool = True) -> Answer:
    """One request to the service (HTTPS verified against the CA, or the plain-HTTP listener)."""
    if https:
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", service.https_port, context=service.client_context(), timeout=30)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", service.http_port, timeout=30)
    try:
        connection.request(method, path, body=body if body or method != "GET" else None, headers=dict(headers or {}))
        answer = connection.getresponse()
        return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
    finally:
        connection.close()


@dataclass(frozen=True)
class Pairing:
    """What a device knows after scanning the QR and being told the code."""

    qr_text: str
    code: str
    payload: protocol.PairingPayload = field(init=False)
    keys: protocol.CodeKeys = field(init=False, repr=False)

    def __post_init__(self) -> None:
        payload = protocol.decode_payload(self.qr_text)
        object.__setattr__(self, "payload", payload)
        object.__setattr__(self, "keys", protocol.derive_code_keys(payload.token, payload.device_id,
                                                                           self.code))

    @classmethod
    def of(cls, ticket: Mapping[str, object]) -> Pairing:
        """From ``device pair --json`` output (or ``Ticket.as_json()``)."""
        return cls(str(ticket["qr_text"]), str(ticket["pairing_code"]))

    @property
    def device_id(self) -> str:
        return self.payload.device_id

    def headers(self, purpose: protocol.ProofPurpose, body: bytes, *, device_id: str | None = None,
                token: bytes | None = None, auth_key: bytes | None = None) -> dict[str, str]:
        """The three pairing headers with a proof over ``body`` (the DER CSR, or empty for the bundle)."""
        token = token or self.payload.token
        proof = protocol.make_code_proof(auth_key or self.keys.auth_key, purpose=purpose, token=token,
                                                 device_id=device_id or self.device_id, body=body)
        return {"ZM-Device-Id": device_id or self.device_id, "ZM-Enrollment-Token": token.hex(),
                "ZM-Code-Proof": proof.hex()}

    def wrong_code_keys(self) -> protocol.CodeKeys:
        wrong = f"{(int(self.code) + 1) % 10**8:08d}"
        return protocol.derive_code_keys(self.payload.token, self.device_id, wrong)

    @property
    def token_sha256(self) -> str:
        return hashlib.sha256(self.payload.token).hexdigest()


def signer_certificates(service: RunningService, key_id: bytes) -> list[x509.Certificate]:
    answer = call(service, "GET", f"/zmp/v1/signers/{key_id.hex()}")
    assert answer.status == 200, answer
    assert answer.headers["content-type"] == "application/pem-certificate-chain"
    return x509.load_pem_x509_certificates(answer.body)


ENROLL = "/.well-known/est/simpleenroll"
BUNDLE = "/zmp/v1/bundle"


def device_csr(device_id: str, key: object | None = None) -> bytes:
    """A CSR as a device makes it: only the CN (the CA's profile sets the rest)."""
    return build_csr(device_id, key=key, country=None, org=None, ou=None, der=True)


def enroll(service: RunningService, paired: Pairing, der: bytes, **header_overrides: str) -> Answer:
    headers = {**paired.headers(ProofPurpose.ENROLL, der), "Content-Type": "application/pkcs10",
               "Content-Transfer-Encoding": "base64", **header_overrides}
    return call(service, "POST", ENROLL, headers=headers, body=base64.encodebytes(der))


def pull(service: RunningService, paired: Pairing, **header_overrides: str) -> Answer:
    return call(service, "POST", BUNDLE, headers={**paired.headers(ProofPurpose.BUNDLE, b""), **header_overrides})
