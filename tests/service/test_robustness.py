"""Bad clients against a running ``zmconsole serve``: oversized, garbage and slow requests, old TLS.

Each bad client is refused or cut off, and a well-behaved client is still served while it happens. No
timing is asserted: a slow client is shown not to block others by serving those others while it is
still connected.
"""

from __future__ import annotations

import os
import socket
import ssl
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from tests.support import referees
from tests.support.service import RunningService, call

CACERTS = "/.well-known/est/cacerts"


def raw_tls(service: RunningService) -> ssl.SSLSocket:
    sock = socket.create_connection(("127.0.0.1", service.https_port), timeout=30)
    return service.client_context().wrap_socket(sock, server_hostname="127.0.0.1")


def read_all(sock: socket.socket) -> bytes:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, ssl.SSLError):
        pass
    return data


def assert_serves(service: RunningService) -> None:
    answer = call(service, "GET", CACERTS)
    assert answer.status == 200, answer


def test_an_oversized_body_is_refused_with_413(service: RunningService) -> None:
    answer = call(service, "POST", "/.well-known/est/simpleenroll", body=b"A" * (16 * 1024 + 1))
    assert answer.status == 413
    assert answer.code == "request_too_large"
    assert_serves(service)


def test_oversized_headers_are_refused_with_413(service: RunningService) -> None:
    answer = call(service, "GET", CACERTS, headers={"X-Filler": "x" * (9 * 1024)})
    assert answer.status == 413
    assert answer.code == "request_too_large"
    assert_serves(service)


def test_oversized_headers_on_the_plain_listener_are_refused_too(service: RunningService) -> None:
    answer = call(service, "GET", "/crl", headers={"X-Filler": "x" * (9 * 1024)}, https=False)
    assert answer.status == 413


def test_garbage_bytes_on_the_tls_port_are_dropped_and_others_served(service: RunningService) -> None:
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as sock:
        sock.sendall(os.urandom(4096))
        reply = read_all(sock)
    assert not reply.startswith(b"HTTP")  # at most a TLS alert, then the connection is closed
    assert_serves(service)
    assert "Traceback" not in service.log()


def test_garbage_on_the_plain_listener_is_a_400(service: RunningService) -> None:
    with socket.create_connection(("127.0.0.1", service.http_port), timeout=30) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00garbage\r\n\r\n")
        reply = read_all(sock)
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    assert b'"malformed_request"' in reply


def test_a_request_line_without_http_version_is_a_400(service: RunningService) -> None:
    with raw_tls(service) as tls:
        tls.sendall(b"GET /\r\n\r\n")
        reply = read_all(tls)
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]


@pytest.fixture
def slow_clients(service: RunningService) -> Iterator[list[ssl.SSLSocket]]:
    """More half-sent requests than the service has worker threads, each trickling headers."""
    with ExitStack() as stack:
        clients = []
        for _ in range(12):
            tls = stack.enter_context(raw_tls(service))
            tls.sendall(b"POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            clients.append(tls)
        yield clients


def test_slow_clients_do_not_block_others(service: RunningService, slow_clients: list[ssl.SSLSocket]) -> None:
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as stalled_handshake:
        stalled_handshake.sendall(b"\x16\x03\x01")  # half a TLS record, then nothing
        for _ in range(6):  # more requests than worker threads, while every slow client is still connected
            assert_serves(service)
            for tls in slow_clients:
                tls.sendall(b"X-Slow: 1\r\n")
    # Each slow client is eventually answered with 408 or cut off; it never gets a real answer.
    reply = read_all(slow_clients[0])
    assert reply == b"" or reply.startswith(b"HTTP/1.1 408 "), reply[:80]


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
def test_tls_below_1_2_is_refused(service: RunningService) -> None:
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(service.ca_file)
    old.minimum_version = ssl.TLSVersion.TLSv1
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    old.set_ciphers("ALL:@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as sock:
        with pytest.raises((ssl.SSLError, ConnectionResetError)) as refused:
            old.wrap_socket(sock, server_hostname="127.0.0.1").close()
    assert "NO_PROTOCOLS_AVAILABLE" not in str(refused.value)  # the client did offer TLS 1.0/1.1; the server said no
    with raw_tls(service) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


def raw_http(service: RunningService, request: bytes) -> bytes:
    """Send ``request`` as is to the plain-HTTP listener; everything it answers before closing."""
    with socket.create_connection(("127.0.0.1", service.http_port), timeout=30) as sock:
        sock.sendall(request)
        return read_all(sock)


@pytest.mark.parametrize("value", [b"a\x00b", b"a\x1bb", b"a\x7fb", b"a\rb", b"\x08"],
                         ids=["NUL", "ESC", "DEL", "CR", "BS"])
def test_a_control_character_in_a_header_value_is_a_400(service: RunningService, value: bytes) -> None:
    reply = raw_http(service, b"GET /crl HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: " + value + b"\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    assert b"control character" in reply


def test_a_control_character_in_the_target_is_a_400(service: RunningService) -> None:
    reply = raw_http(service, b"GET /crl\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]


def test_a_tab_inside_a_header_value_is_accepted(service: RunningService) -> None:
    reply = raw_http(service, b"GET /crl HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\tb\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200 "), reply[:80]


@pytest.mark.parametrize("request_bytes", [b"GET /crl HTTP/1.1\nHost: 127.0.0.1\n\n",
                                           b"GET /crl HTTP/1.1\r\nHost: 127.0.0.1\n\r\n",
                                           b"GET /crl HTTP/1.1\n"], ids=["all", "one", "unfinished"])
def test_bare_lf_line_endings_get_a_400_at_once(service: RunningService, request_bytes: bytes) -> None:
    """A 400 as soon as the LF arrives, not a 408 once the request timeout runs out."""
    reply = raw_http(service, request_bytes)
    assert reply.startswith(b"HTTP/1.1 400 "), reply[:80]
    assert b"bare LF" in reply


def test_head_crl_gets_the_headers_of_get_and_no_body(service: RunningService) -> None:
    got = call(service, "GET", "/crl", https=False)
    reply = raw_http(service, b"HEAD /crl HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), reply[:80]
    headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
    assert headers["Content-Type"] == "application/pkix-crl"
    assert headers["Content-Length"] == str(len(got.body))
    assert headers["Last-Modified"] == got.headers["last-modified"]
    assert body == b""


def test_methods_other_than_get_and_head_on_crl_get_405_naming_both(service: RunningService) -> None:
    answer = call(service, "DELETE", "/crl", https=False)
    assert answer.status == 405
    assert answer.headers["allow"] == "GET, HEAD"


def _tls12_client(service: RunningService, ciphers: str) -> ssl.SSLContext:
    context = service.client_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(ciphers)
    return context


def test_tls_1_2_negotiates_an_aead_suite(service: RunningService) -> None:
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as sock:
        with _tls12_client(service, "ALL:@SECLEVEL=0").wrap_socket(sock, server_hostname="127.0.0.1") as tls:
            name, version, _ = tls.cipher()
    assert version == "TLSv1.2"
    assert "GCM" in name or "CHACHA20" in name, name


def test_tls_1_2_refuses_every_suite_that_is_not_aead(service: RunningService) -> None:
    with socket.create_connection(("127.0.0.1", service.https_port), timeout=30) as sock:
        with pytest.raises((ssl.SSLError, ConnectionResetError)):
            _tls12_client(service, "ALL:!AESGCM:!CHACHA20:!AESCCM:!ARIAGCM:@SECLEVEL=0").wrap_socket(
                sock, server_hostname="127.0.0.1").close()


@pytest.mark.parametrize(("cipher", "accepted"), [("ECDHE-ECDSA-AES256-SHA384", False), ("AES128-SHA256", False),
                                                  ("ECDHE-ECDSA-AES128-SHA", False),
                                                  ("ECDHE-ECDSA-AES256-GCM-SHA384", True),
                                                  ("ECDHE-ECDSA-CHACHA20-POLY1305", True)])
def test_openssl_s_client_sees_only_aead_suites_in_tls_1_2(service: RunningService, cipher: str,
                                                           accepted: bool) -> None:
    done = referees.openssl("s_client", "-connect", f"127.0.0.1:{service.https_port}", "-tls1_2",
                            "-cipher", cipher, "-CAfile", service.ca_file, "-brief")
    assert (done.returncode == 0) is accepted, done.output
    if accepted:
        assert f"Ciphersuite: {cipher}" in done.output, done.output


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(service: RunningService) -> None:
    with socket.create_connection(("127.0.0.1", service.http_port), timeout=30) as idle, raw_tls(service) as tls:
        assert read_all(idle) == b""  # closed at the first-byte deadline, long before the 408 of a slow request
        assert read_all(tls) == b""
    assert_serves(service)
