"""The plain-HTTP listener (CRL, OCSP), the service's TLS identity, and sharing the store with the console.

CRLs and OCSP answers are judged by the ``openssl`` command line; the service and console processes write
the same SQLite store at the same time, and the audit chain must come out intact.
"""

from __future__ import annotations

import base64
import json
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from tests.support import cli, referees
from tests.support.service import Pairing, RunningService, call, device_csr, enroll, make_ca, running_service
from zmconsole.core import paths
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.service.runner import ProvisioningService, ServiceConfig


def enrolled_certificate(service: RunningService, device_id: str, out: Path) -> Path:
    paired = Pairing.of(service.pair(device_id))
    answer = enroll(service, paired, device_csr(device_id))
    assert answer.status == 200, answer.body
    cert = pkcs7.load_der_pkcs7_certificates(base64.b64decode(answer.body))[0]
    path = out / f"{device_id}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def fetch_crl(service: RunningService, out: Path) -> tuple[Path, x509.CertificateRevocationList]:
    answer = call(service, "GET", "/crl", https=False)
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pkix-crl"
    assert "last-modified" in answer.headers
    assert answer.headers["cache-control"].startswith("max-age=")
    path = out / "crl.der"
    path.write_bytes(answer.body)
    return path, x509.load_der_x509_crl(answer.body)


def test_crl_is_der_signed_by_the_ca_and_follows_a_revocation(service: RunningService, device_id: str,
                                                             out: Path) -> None:
    cert_file = enrolled_certificate(service, device_id, out)
    serial = x509.load_pem_x509_certificate(cert_file.read_bytes()).serial_number
    crl_file, before = fetch_crl(service, out)
    checked = referees.openssl("crl", "-inform", "DER", "-in", crl_file, "-CAfile", service.ca_file, "-noout")
    assert checked.returncode == 0 and "verify OK" in checked.output, checked.output
    assert before.get_revoked_certificate_by_serial_number(serial) is None

    # Revoked by the console without a new CRL: the service notices and signs one.
    cli.ok(service.home, "device", "revoke", device_id, "--reason", "compromised", "--no-crl")
    crl_file, after = fetch_crl(service, out)
    entry = after.get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    assert after.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number > \
        before.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    assert referees.verify(service.ca_file, cert_file, crl_file=_pem_crl(crl_file, out)).returncode != 0


def _pem_crl(der_file: Path, out: Path) -> Path:
    pem = out / "crl.pem"
    pem.write_bytes(x509.load_der_x509_crl(der_file.read_bytes()).public_bytes(serialization.Encoding.PEM))
    return pem


def test_ocsp_answers_openssl_good_then_revoked(service: RunningService, device_id: str, out: Path) -> None:
    cert_file = enrolled_certificate(service, device_id, out)
    url = f"http://127.0.0.1:{service.http_port}/ocsp"

    def ask() -> str:
        done = referees.openssl("ocsp", "-issuer", service.ca_file, "-cert", cert_file, "-url", url,
                                "-CAfile", service.ca_file)
        assert done.returncode == 0, done.output
        assert "Response verify OK" in done.output, done.output
        return done.stdout

    assert f"{cert_file}: good" in ask()
    cli.ok(service.home, "device", "revoke", device_id, "--reason", "lost")
    assert f"{cert_file}: revoked" in ask()


def test_a_malformed_ocsp_request_gets_an_ocsp_refusal_not_an_http_error(service: RunningService, device_id: str,
                                                                        out: Path) -> None:
    cert_file = enrolled_certificate(service, device_id, out)
    done = referees.openssl("ocsp", "-md5", "-issuer", service.ca_file, "-cert", cert_file,
                            "-url", f"http://127.0.0.1:{service.http_port}/ocsp", "-CAfile", service.ca_file)
    assert "Responder Error: malformedrequest (1)" in done.output, done.output
    assert "internal error" not in service.log()


def test_the_service_certificate_comes_from_the_platform_ca(service: RunningService, out: Path) -> None:
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as sock:
        with service.client_context().wrap_socket(sock, server_hostname="127.0.0.1") as tls:
            der = tls.getpeercert(binary_form=True)
            assert der is not None
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
    cert_file = out / "server.pem"
    cert = x509.load_der_x509_certificate(der)
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    verified = referees.verify(service.ca_file, cert_file, purpose="sslserver")
    assert verified.returncode == 0, verified.output
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]


def test_service_and_console_write_the_store_at_the_same_time(service: RunningService, out: Path) -> None:
    issuing = [subprocess.Popen(cli.command(service.home, ["device", "issue", f"ZM-{900 + n}", "--generate-key",
                                                           "--out", out / f"issued-{n}"]),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=cli.environment())
               for n in range(4)]
    enrolled = [enrolled_certificate(service, f"ZM-{950 + n}", out) for n in range(4)]
    for process in issuing:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert len(enrolled) == 4
    verified = cli.ok(service.home, "audit", "verify")
    assert "Audit log intact" in verified.stdout
    listed = cli.ok(service.home, "device", "list", "--json")
    devices = {row["device_id"]: row["status"] for row in json.loads(listed.stdout)}
    for n in range(4):
        assert devices[f"ZM-{900 + n}"] == "active"
        assert devices[f"ZM-{950 + n}"] == "active"


def test_a_restart_reuses_the_certificate_and_no_key_file_is_left(tmp_path: Path) -> None:
    home = paths.ensure_home(tmp_path / "home")
    make_ca(home)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with running_service(home, env={"TMPDIR": str(scratch)}, set_crl_url=False) as first:
        assert list(scratch.iterdir()) == []  # the key file for ssl was deleted once loaded
        assert "issued now" in first.log()
    assert first.returncode == 0, first.log()
    serial = first.log().split("TLS certificate ")[1].split()[0]
    with running_service(home) as second:
        assert f"TLS certificate {serial} " in second.log()
        assert "from the store" in second.log()
        second.process.send_signal(signal.SIGINT)  # Ctrl+C stops it as cleanly as SIGTERM
        assert second.process.wait(30) == 0
    assert "stopped" in second.log()
    assert "Traceback" not in second.log()


def test_a_console_can_run_the_service_on_a_thread(store: Store, unlocked: UnlockedCa) -> None:
    service = ProvisioningService(store, unlocked, ServiceConfig(listen=("127.0.0.1", 0),
                                                                 http_listen=("127.0.0.1", 0)))
    listening = service.start()
    try:
        with urllib.request.urlopen(listening.crl_url, timeout=30) as answer:
            assert answer.headers["Content-Type"] == "application/pkix-crl"
            assert x509.load_der_x509_crl(answer.read()).issuer == unlocked.certificate.subject
    finally:
        service.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", listening.http_port), timeout=5).close()
