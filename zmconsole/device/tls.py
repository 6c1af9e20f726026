"""TLS for the device: the pinned bootstrap of docs/pairing-protocol.md §5.2 and verified HTTPS requests.

Every connection uses TLS 1.2 or newer (DOC-PROC-023 §6.1). Exactly one request is ever made without
verifying the server: the RFC 7030 §4.1.1 bootstrap fetch of the CA certificates, which carries no secret
and whose answer is checked against the fingerprint read from the QR (:func:`fetch_pinned_ca`). Every other
connection trusts that one CA certificate and nothing else (not the system's CA store), verifies the
server's chain, validity and host name or IP address, and requires a ``serverAuth`` certificate.

HTTP is spoken with ``http.client`` directly: no proxies from the environment, no redirects followed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import http.client
import ssl
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID

from zmconsole.device import troubleshooting
from zmconsole.device.troubleshooting import DeviceError

TIMEOUT = 15.0  # seconds per connect and per read
MAX_RESPONSE = 1 << 20  # bytes; no answer the device expects is anywhere near this
CACERTS_PATH = "/.well-known/est/cacerts"


@dataclass(frozen=True)
class Response:
    """One HTTP exchange over TLS, with what the handshake established."""

    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes = field(repr=False)
    tls_version: str
    cipher: str
    server_certificate: x509.Certificate


class TlsAlert(DeviceError):
    """The server broke off the TLS connection with an alert (``reason`` is OpenSSL's name for it)."""

    def __init__(self, url: str, reason: str) -> None:
        self.reason = reason
        self.alert = reason.split("ALERT_")[-1].replace("_", " ").lower()  # "certificate revoked"
        super().__init__(f"The server at {url} ended the TLS connection with the alert '{self.alert}'.",
                         troubleshooting.alert_issue(reason))


class NotAServer(DeviceError):
    """Nothing usable answered at the address: refused, timed out, or not TLS/HTTP."""


class ConnectionDropped(NotAServer):
    """The server closed the connection without an HTTP answer (after or during the handshake)."""


def origin(url: str) -> tuple[str, int]:
    """Host and port of an ``https://`` URL (port 443 if none is given)."""
    parts = urlsplit(url)
    try:
        port = parts.port or 443
    except ValueError:
        port = 0
    if parts.scheme != "https" or not parts.hostname or not 0 < port < 65536:
        raise DeviceError(f"{url!r} is not an https://HOST[:PORT]/ URL: give the server's https address.")
    return parts.hostname, port


def client_context(anchor: x509.Certificate | None, *, certificate_file: Path | None = None,
                   key_file: Path | None = None, key_password: bytes | None = None,
                   intermediates: Sequence[x509.Certificate] = ()) -> ssl.SSLContext:
    """A TLS 1.2+ client context trusting only ``anchor`` (``None``: the unverified bootstrap only).

    With ``certificate_file`` and ``key_file`` the device presents its identity (mutual TLS); the key file is
    the keystore's encrypted PKCS#8, opened with ``key_password``. ``intermediates`` (an issuing CA below the
    pinned root) are sent after the certificate, so a server that trusts only the root can build the chain.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if anchor is None:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    else:
        context.load_verify_locations(cadata=anchor.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        context.verify_flags |= ssl.VERIFY_X509_STRICT
    if certificate_file is not None:
        try:
            with _presented_chain(certificate_file, intermediates) as chain_file:
                context.load_cert_chain(chain_file, key_file, password=key_password)
        except ssl.SSLError as error:
            raise DeviceError(f"The keystore secret does not open the device key {key_file}, or the key does not "
                              f"match the certificate ({error.reason}): check ZMDEVICE_KEYSTORE_PASSPHRASE or "
                              "the passphrase file, or pair the device again.") from None
    return context


@contextlib.contextmanager
def _presented_chain(certificate_file: Path, intermediates: Sequence[x509.Certificate]) -> Iterator[Path]:
    """The file ``load_cert_chain`` reads: the certificate itself, or (with intermediates) a temporary copy
    followed by them. Only public certificates are written; ``ssl`` offers no way to add them from memory."""
    if not intermediates:
        yield certificate_file
        return
    pem = serialization.Encoding.PEM
    with tempfile.TemporaryDirectory(prefix="zmdevice-chain-") as folder:
        chain = Path(folder, "chain.pem")
        chain.write_bytes(certificate_file.read_bytes() + b"".join(c.public_bytes(pem) for c in intermediates))
        yield chain


def request(url: str, context: ssl.SSLContext, *, method: str = "GET", path: str = "/",
            headers: Mapping[str, str] | None = None, body: bytes = b"", timeout: float = TIMEOUT) -> Response:
    """One HTTP request over a fresh TLS connection to ``url``'s origin; failures become ``DeviceError``."""
    host, port = origin(url)
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=timeout)
    try:
        connection.connect()  # the TLS handshake, with the server's certificate verified
        tls = connection.sock
        assert isinstance(tls, ssl.SSLSocket)
        peer = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True) or b"")
        if context.verify_mode == ssl.CERT_REQUIRED:
            _require_server_auth(url, peer)
        version, cipher = tls.version() or "", (tls.cipher() or ("",))[0]
        connection.request(method, path, body=body or None, headers=dict(headers or {}))
        answer = connection.getresponse()
        data = answer.read(MAX_RESPONSE + 1)
        if len(data) > MAX_RESPONSE:
            raise NotAServer(f"The server at {url} sent more than {MAX_RESPONSE} bytes for {path}: it is not a "
                             "provisioning service; check the URL.")
        names = {name.lower(): value for name, value in answer.getheaders()}
        return Response(answer.status, names, data, version, cipher, peer)
    except ssl.SSLCertVerificationError as error:
        raise troubleshooting.server_certificate_error(url, error.verify_code, error.verify_message) from None
    except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as error:  # hung up, possibly with its alert lost
        raise ConnectionDropped(f"The server at {url} closed the TLS connection without an HTTP answer "
                                f"({error.reason or error}).") from None
    except ssl.SSLError as error:
        raise _tls_failure(url, error) from None
    except TimeoutError:
        raise NotAServer(f"The server at {url} did not answer within {timeout:.0f} s: check the network and that "
                         "the server is running.") from None
    except ConnectionRefusedError:
        raise NotAServer(f"Nothing accepts connections at {host}:{port} (connection refused): check the URL and "
                         "that the server is running.") from None
    except (ConnectionError, http.client.HTTPException) as error:
        raise ConnectionDropped(f"The server at {url} closed the connection without an HTTP answer "
                         f"({type(error).__name__}): check that it is an https server.") from None
    except OSError as error:
        raise NotAServer(f"Cannot reach {host}:{port} ({error.strerror or error}): check the URL and the "
                         "network.") from None
    finally:
        connection.close()


def _tls_failure(url: str, error: ssl.SSLError) -> DeviceError:
    reason = error.reason or str(error)
    if "ALERT" in reason and "PROTOCOL_VERSION" not in reason:
        return TlsAlert(url, reason)
    if reason in ("WRONG_VERSION_NUMBER", "UNSUPPORTED_PROTOCOL", "TLSV1_ALERT_PROTOCOL_VERSION",
                  "NO_PROTOCOLS_AVAILABLE", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"):
        return NotAServer(f"The server at {url} does not speak TLS 1.2 or newer ({reason}): devices refuse older "
                          "protocols; check that the URL is the server's https port.")
    return NotAServer(f"The TLS connection to {url} failed ({reason}).")


def _require_server_auth(url: str, certificate: x509.Certificate) -> None:
    """OpenSSL accepts a server certificate without any EKU; the protocol requires ``serverAuth`` (§5.2)."""
    try:
        usages = list(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        usages = []
    if ExtendedKeyUsageOID.SERVER_AUTH not in usages:
        raise DeviceError(f"The server at {url} presented a certificate that is not a TLS server certificate "
                          f"(no serverAuth extended key usage; subject {certificate.subject.rfc4514_string()}): "
                          "issue it a server certificate on the console.")


def parse_certs_only(body: bytes, what: str) -> list[x509.Certificate]:
    """The certificates of an EST answer: base64 of a DER CMS SignedData certs-only (RFC 7030 §4.1.3)."""
    try:
        return list(pkcs7.load_der_pkcs7_certificates(base64.b64decode(b"".join(body.split()), validate=True)))
    except (ValueError, binascii.Error):
        raise DeviceError(f"The {what} is not a base64 PKCS#7 certificate list (RFC 7030): check that the URL "
                          "is the hospital's provisioning service.") from None


def fetch_pinned_ca(url: str, fingerprint: bytes, *, timeout: float = TIMEOUT) -> x509.Certificate:
    """RFC 7030 §4.1.1 bootstrap: the CA certificate whose SHA-256 is ``fingerprint``, from the server at ``url``.

    The connection is deliberately unverified: it carries no token, proof or key, and its answer is
    trusted only through the fingerprint the device read optically from the QR code.
    """
    answer = request(url, client_context(None), path=CACERTS_PATH, headers={"Accept": "application/pkcs7-mime"},
                     timeout=timeout)
    if answer.status != 200:
        raise DeviceError(f"The server at {url} answered HTTP {answer.status} for {CACERTS_PATH}: it is not a "
                          "provisioning service; check the QR code's server.")
    for certificate in parse_certs_only(answer.body, f"CA certificate list from {url}"):
        if certificate.fingerprint(hashes.SHA256()) == fingerprint:
            return certificate
    raise DeviceError(
        f"This is not your hospital's provisioning server (CA fingerprint mismatch): none of the CA certificates "
        f"at {url} has the fingerprint {fingerprint.hex()[:16].upper()}… that the QR code pins. Nothing secret "
        "was sent. Scan a code from your hospital's console.",
        troubleshooting.Issue.WRONG_CA,
    )
