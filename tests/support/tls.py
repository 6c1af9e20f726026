"""Real TLS handshakes on 127.0.0.1: a one-connection Python ``ssl`` server and an nginx instance.

The server side is where mutual TLS is decided (it checks the client certificate against the CA and the
CRL), so :func:`handshake` reports the server's verdict as well as what the client saw. In TLS 1.3 a client
finishes its half of the handshake before the server has judged its certificate, so the client's view alone
would not tell a rejection from a success.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 10.0
GREETING = b"hello from the server\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_context(cert: Path, key: Path, *, key_password: str | None, ca: Path, crl: Path | None = None
                   ) -> ssl.SSLContext:
    """A server that requires a client certificate from ``ca`` and, given ``crl``, checks it (hard fail)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key, password=key_password)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=ca)
    if crl is not None:
        context.load_verify_locations(cafile=crl)  # OpenSSL's file lookup loads CRLs as well as certificates
        context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF
    return context


def client_context(ca: Path, cert: Path | None = None, key: Path | None = None, *,
                   key_password: str | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=ca)
    if cert is not None:
        context.load_cert_chain(cert, key, password=key_password)
    return context


@dataclass
class Handshake:
    """What happened: ``accepted`` is the server's verdict on the client certificate."""

    accepted: bool = False
    server_error: str = ""
    client_error: str = ""
    received: bytes = b""
    peer_subject: str = ""


def handshake(server: ssl.SSLContext, client: ssl.SSLContext, *, server_hostname: str) -> Handshake:
    """Connect ``client`` to a one-shot server using ``server`` on a free 127.0.0.1 port."""
    result = Handshake()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(TIMEOUT)
    port = listener.getsockname()[1]

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError as error:
            result.server_error = f"accept: {error}"
            return
        conn.settimeout(TIMEOUT)
        try:
            with server.wrap_socket(conn, server_side=True) as tls:
                peer = tls.getpeercert() or {}
                result.peer_subject = repr(peer.get("subject"))
                result.accepted = True
                tls.sendall(GREETING)
        except (ssl.SSLError, OSError) as error:
            result.server_error = getattr(error, "verify_message", None) or str(error)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as raw, \
                client.wrap_socket(raw, server_hostname=server_hostname) as tls:
            chunks = []
            while chunk := tls.recv(4096):
                chunks.append(chunk)
                if b"".join(chunks).endswith(b"\n"):
                    break
            result.received = b"".join(chunks)
    except (ssl.SSLError, OSError) as error:
        result.client_error = str(error)
    finally:
        thread.join(TIMEOUT)
        listener.close()
    return result


# --- nginx --------------------------------------------------------------------------------------------

NGINX_CONF = """\
daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log info;
events {{ worker_connections 16; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name {server_name};
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_password_file {password_file};
        ssl_client_certificate {ca};
        ssl_verify_client on;
        ssl_crl {crl};
        location / {{ return 200 "verified $ssl_client_verify $ssl_client_s_dn\\n"; }}
    }}
}}
"""


@dataclass(frozen=True)
class Nginx:
    port: int
    root: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def nginx(root: Path, *, cert: Path, key: Path, password_file: Path, ca: Path, crl: Path,
          server_name: str, binary: str = "nginx") -> Iterator[Nginx]:
    """nginx requiring client certificates from ``ca`` and checking ``crl``, on a free port, for one block."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, server_name=server_name, cert=cert, key=key,
                                      password_file=password_file, ca=ca, crl=crl))
    process = subprocess.Popen([binary, "-p", str(root), "-e", str(root / "error.log"), "-c", str(conf)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = Nginx(port, root, process)
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"nginx exited with {process.returncode}: {output} {server.log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not listen on {port}: {server.log()}") from None
                time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()


def https_get(url: str, client: ssl.SSLContext, *, server_hostname: str) -> tuple[int, str]:
    """One HTTPS GET over ``client``; returns (status, body) or (0, the TLS error)."""
    parsed = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=TIMEOUT) as raw, \
                client.wrap_socket(raw, server_hostname=server_hostname) as tls:
            tls.sendall(f"GET {parsed.path or '/'} HTTP/1.0\r\nHost: {server_hostname}\r\n\r\n".encode())
            chunks = []
            while chunk := tls.recv(4096):
                chunks.append(chunk)
    except (ssl.SSLError, OSError) as error:
        return 0, str(error)
    response = b"".join(chunks).decode(errors="replace")
    head, _, body = response.partition("\r\n\r\n")
    return int(head.split()[1]), body
