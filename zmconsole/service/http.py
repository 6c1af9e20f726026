"""Just enough HTTP/1.1 for the provisioning service, with hard limits on everything a client controls.

One request per connection (``Connection: close``): devices make a handful of requests per pairing, and
no keep-alive means no idle connections to manage. A request must arrive completely within
:data:`REQUEST_TIMEOUT` seconds of the connection being ready, headers within :data:`MAX_HEADER_BYTES`
and the body within :data:`MAX_BODY_BYTES` (protocol section 7.1), so a slow or oversized client costs
one coroutine for a bounded time and never blocks anyone else.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

MAX_HEADER_BYTES = 8 * 1024
MAX_BODY_BYTES = 16 * 1024
REQUEST_TIMEOUT = 10.0  # seconds for the whole request, whatever the client's pace
WRITE_TIMEOUT = 10.0
_DRAIN_BYTES = 256 * 1024  # unread input swallowed before closing, so the client sees our answer, not a reset
_DRAIN_TIMEOUT = 2.0
_TARGET = frozenset(chr(code) for code in range(0x21, 0x7F))  # visible ASCII (RFC 9112 §3.2)
_FIELD_VALUE = _TARGET | {" ", "\t"}  # field-vchar, SP and HTAB (RFC 9110 §5.5); no control character
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the path, query string included
    headers: Mapping[str, str]  # names in lower case
    body: bytes = field(repr=False)
    client: str  # the peer's address
    peer_certificate: bytes | None = field(default=None, repr=False)  # DER client certificate (mutual TLS)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    note: str = ""  # what the request log adds (an error code, a device ID); never a secret

    def encode(self, *, body: bool = True) -> bytes:
        """The bytes on the wire; ``body=False`` for a HEAD request (the same headers, no body)."""
        reason = HTTPStatus(self.status).phrase if self.status in HTTPStatus._value2member_map_ else ""
        lines = [f"HTTP/1.1 {self.status} {reason}", f"Date: {formatdate(usegmt=True)}", "Server: zmconsole",
                 "Connection: close", f"Content-Length: {len(self.body)}"]
        if self.content_type:
            lines.append(f"Content-Type: {self.content_type}")
        lines.extend(f"{name}: {value}" for name, value in self.headers.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (self.body if body else b"")


def error_response(status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None,
                   extra: Mapping[str, Any] | None = None) -> Response:
    """The protocol's JSON error body: ``{"error": {"code": …, "message": …}}``."""
    body = json.dumps({"error": {"code": code, "message": message, **(extra or {})}}).encode()
    return Response(status, body, "application/json", headers or {}, note=code)


class Idle(Exception):
    """Nothing arrived before the first-byte deadline, or the client closed without sending: nothing to answer."""


class RequestError(Exception):
    """The request cannot be read; ``response`` says why and is sent before closing."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.note)
        self.response = response


def _malformed(message: str) -> RequestError:
    return RequestError(error_response(400, "malformed_request", message))


def _too_large(what: str, limit: int) -> RequestError:
    return RequestError(error_response(413, "request_too_large", f"The request's {what} exceed {limit} bytes: send "
                                                                 "a smaller request."))


async def read_request(reader: asyncio.StreamReader, client: str, *, first_byte_timeout: float | None = None,
                       on_first_byte: Callable[[], None] | None = None) -> Request:
    """Read one request; raises :class:`RequestError` (400/413), ``TimeoutError``, or :class:`Idle` when
    no byte arrives within ``first_byte_timeout`` seconds (``on_first_byte`` is called when one does).
    Call under a timeout for the whole request."""
    buffer = bytearray()
    if first_byte_timeout is not None:
        try:
            async with asyncio.timeout(first_byte_timeout):
                buffer += await reader.read(4096)
        except TimeoutError:
            raise Idle from None
        if not buffer:
            raise Idle
        if on_first_byte is not None:
            on_first_byte()
    while True:
        end = buffer.find(b"\r\n\r\n")
        if _bare_line_feed(buffer if end < 0 else buffer[:end + 4]):
            raise _malformed("The request's lines end in a bare LF: end each line with CR LF.")
        if end >= 0:
            break
        if len(buffer) > MAX_HEADER_BYTES:
            raise _too_large("headers", MAX_HEADER_BYTES)
        chunk = await reader.read(4096)
        if not chunk:
            raise _malformed("The connection closed before the request was complete.")
        buffer += chunk
    if end > MAX_HEADER_BYTES:
        raise _too_large("headers", MAX_HEADER_BYTES)
    head, rest = bytes(buffer[:end]), bytes(buffer[end + 4:])
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError:
        raise _malformed("The request's headers are not ASCII.") from None
    request_line, *header_lines = text.split("\r\n")
    parts = request_line.split(" ")
    if len(parts) != 3 or not parts[0] or not set(parts[0]) <= _TOKEN or not parts[1].startswith("/") \
            or not set(parts[1]) <= _TARGET or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
        raise _malformed("The request line is not 'METHOD /path HTTP/1.1'.")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, colon, value = line.partition(":")
        if not colon or not name or not set(name) <= _TOKEN:
            raise _malformed("A request header is not 'Name: value'.")
        if not set(value) <= _FIELD_VALUE:
            raise _malformed(f"The {name[:40]} header holds a control character.")
        key = name.lower()
        if key in headers and key in ("content-length", "transfer-encoding", "host", "zm-device-id",
                                      "zm-enrollment-token", "zm-code-proof"):
            raise _malformed(f"The {name} header appears twice.")
        headers[key] = value.strip(" \t")
    if "transfer-encoding" in headers:
        raise _malformed("Chunked or encoded request bodies are not accepted: send Content-Length.")
    length_text = headers.get("content-length", "0")
    if not length_text.isdigit() or len(length_text) > 12:
        raise _malformed("Content-Length is not a number.")
    length = int(length_text)
    if length > MAX_BODY_BYTES:
        raise _too_large("body", MAX_BODY_BYTES)
    body = rest[:length]
    if len(body) < length:
        try:
            body += await reader.readexactly(length - len(body))
        except asyncio.IncompleteReadError:
            raise _malformed("The connection closed before the request's body was complete.") from None
    return Request(parts[0], parts[1], headers, body, client)


def _bare_line_feed(head: bytes | bytearray) -> bool:
    """Whether a LF without its CR is in ``head`` (RFC 9112 §2.2 lets a server refuse one; we do, at once)."""
    return head.count(b"\n") != head.count(b"\r\n")


async def send(writer: asyncio.StreamWriter, response: Response, unread: asyncio.StreamReader | None = None, *,
               head: bool = False, linger: float = _DRAIN_TIMEOUT) -> None:
    """Write ``response`` (its headers only when ``head``: a HEAD request) and close. Give ``unread`` when
    the request was not read to its end (a refusal before the body): that input is swallowed first, because
    closing a socket with unread data sends a reset that can destroy the answer before the client reads it.
    ``linger`` bounds that wait (seconds)."""
    try:
        writer.write(response.encode(body=not head))
        async with asyncio.timeout(WRITE_TIMEOUT):
            await writer.drain()
        if unread is not None:
            if writer.can_write_eof():
                writer.write_eof()
            await _drain(unread, linger)
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
        try:
            async with asyncio.timeout(_DRAIN_TIMEOUT):
                await writer.wait_closed()
        except (OSError, TimeoutError):
            writer.transport.abort()  # a TLS peer that never answers our close_notify


async def _drain(reader: asyncio.StreamReader, linger: float) -> None:
    swallowed = 0
    try:
        async with asyncio.timeout(linger):
            while swallowed < _DRAIN_BYTES:
                chunk = await reader.read(65536)
                if not chunk:
                    return
                swallowed += len(chunk)
    except TimeoutError:
        return
