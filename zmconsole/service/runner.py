"""Running the provisioning service: the HTTPS and plain-HTTP listeners, housekeeping, clean shutdown.

I/O is asyncio, so a thousand slow clients cost a thousand small coroutines, each bounded by
``http.REQUEST_TIMEOUT``; the work (store, signing) runs on a small, bounded thread pool. Each listener
counts its own connections (``limits.Gate``): a full listener closes its oldest idle connection to make
room; with none idle, or over the per-address limit, a plain-HTTP client gets ``503`` and a TLS client is
closed before any handshake work. A connection that sends nothing within :data:`FIRST_BYTE_TIMEOUT` is
closed. Refusals are summarised in the log, not written one by one.

``run`` serves in the foreground until SIGTERM or SIGINT (``zmconsole serve``); ``start``/``stop`` serve on
a background thread, for a console that starts and stops the service itself.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
import signal
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from zmconsole.core import policy, service_heartbeat
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import HTTP_LISTENER, HTTPS_LISTENER, Hint, HintKind, InputError
from zmconsole.core.pairing import tickets
from zmconsole.core.pairing.signer import ensure_signer
from zmconsole.core.service_identity import Identity, service_identity
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store
from zmconsole.service import http, tls
from zmconsole.service.addresses import DEFAULT_HTTP_LISTEN, DEFAULT_LISTEN
from zmconsole.service.addresses import parse_address as parse_address
from zmconsole.service.app import RETRY_AFTER, ProvisioningApp
from zmconsole.service.limits import Gate, Limits, RefusalLog, Slot

log = logging.getLogger("zmconsole.service")

HANDSHAKE_TIMEOUT = 10.0
FIRST_BYTE_TIMEOUT = 3.0  # an idle connection gives its slot back this soon
DEFAULT_LIMITS = Limits(connections=256, per_client=32)
MAX_REFUSING = 256  # refusals answered with a 503 at once; beyond that a refused connection is just closed
REFUSAL_LINGER = 0.5  # seconds a refused client has to send its request, so that it reads the 503 (http.send)
HOUSEKEEPING_SECONDS = 60.0
SHUTDOWN_GRACE = 10.0


@dataclass(frozen=True)
class ServiceConfig:
    listen: tuple[str, int] = DEFAULT_LISTEN
    http_listen: tuple[str, int] = DEFAULT_HTTP_LISTEN
    hostname: str | None = None  # default: the provisioning URL's host name, else "localhost"
    workers: int = 4
    https_limits: Limits = DEFAULT_LIMITS
    http_limits: Limits = DEFAULT_LIMITS


@dataclass(frozen=True)
class Listening:
    """Where the service answers, once it does (ports resolved when 0 was asked for)."""

    pid: int
    hostname: str
    https_port: int
    http_port: int
    provisioning_url: str
    crl_url: str
    ocsp_url: str
    certificate_serial: str


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _url_host(host: str, fallback: str) -> str:
    address = _ip(host)
    if address is None:
        return host
    if address.is_unspecified:
        return fallback
    return f"[{address}]" if address.version == 6 else str(address)


class ProvisioningService:
    """Both listeners around one store and the unlocked CA."""

    def __init__(self, store: Store, ca: UnlockedCa, config: ServiceConfig | None = None) -> None:
        self.store = store
        self.ca = ca
        self.config = config or ServiceConfig()
        self._pool: ThreadPoolExecutor | None = None
        self._refusals = RefusalLog()
        self._refusing = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.listening: Listening | None = None
        self.heartbeat = service_heartbeat.new_identity()  # this run, as consoles on the store see it

    # --- setup ------------------------------------------------------------------------------------------------

    def _names(self) -> tuple[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]]:
        settings = load_settings(self.store)
        url_host = urlsplit(settings.provisioning_url).hostname or ""
        wanted = self.config.hostname or (url_host if url_host and _ip(url_host) is None else "localhost")
        ips = [ip for ip in (_ip(wanted), _ip(self.config.listen[0]), _ip(url_host))
               if ip is not None and not ip.is_unspecified]
        hostname = "localhost" if _ip(wanted) is not None else policy.check_hostname(wanted)
        return hostname, list(dict.fromkeys(ips))

    def _prepare(self) -> tuple[ssl.SSLContext, Identity, str]:
        hostname, ips = self._names()
        identity = service_identity(self.store, self.ca, hostname, ips)
        log.info("TLS certificate %s for %s %s (%s)", identity.serial, hostname, " ".join(map(str, ips)),
                 "issued now" if identity.issued_now else "from the store")
        signer = ensure_signer(self.store, self.ca)
        log.info("pairing signer %s (key id %s)", signer.serial, signer.key_id.hex())
        expired = tickets.expire_due(self.store)
        if expired:
            log.info("%d pairing code(s) expired while the service was stopped", expired)
        if not load_settings(self.store).crl_url:
            log.warning("crl-url is not set, so issued certificates carry no CRL distribution point: set it with "
                        "`zmconsole config set crl-url http://HOST:PORT/crl`")
        return tls.server_context(identity, self.ca.certificates), identity, hostname

    # --- serving ----------------------------------------------------------------------------------------------

    async def _serve(self, ready: Callable[[Listening], None], *, signals: bool = False) -> None:
        self._loop = loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        if signals:
            for number in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(number, self._stop.set)
        self._pool = ThreadPoolExecutor(max_workers=self.config.workers, thread_name_prefix="zmconsole-service")
        try:
            await self._listen(loop, self._pool, self._stop, ready)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    async def _listen(self, loop: asyncio.AbstractEventLoop, pool: ThreadPoolExecutor, stop: asyncio.Event,
                      ready: Callable[[Listening], None]) -> None:
        context, identity, hostname = await loop.run_in_executor(pool, self._prepare)
        https_host, https_port = self.config.listen
        http_host, http_port = self.config.http_listen
        app = ProvisioningApp(self.store, self.ca, crl_url="")

        https = _Listener("https", Gate(self.config.https_limits), app.https, context)
        plain_http = _Listener("http", Gate(self.config.http_limits), app.http, None)

        async def on_https(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._connection(reader, writer, https)

        async def on_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await self._connection(reader, writer, plain_http)

        # TLS is started per connection (``_serve_connection``), after the gate, so a refused client costs
        # no handshake and a handshake in progress holds one of the listener's slots.
        secure = await _bind(asyncio.start_server(on_https, https_host, https_port), HTTPS_LISTENER, self.config.listen)
        try:
            plain = await _bind(asyncio.start_server(on_http, http_host, http_port), HTTP_LISTENER,
                                self.config.http_listen)
        except BaseException:
            secure.close()
            raise
        try:
            https_port = secure.sockets[0].getsockname()[1]
            http_port = plain.sockets[0].getsockname()[1]
            crl_url = f"http://{_url_host(http_host, hostname)}:{http_port}/crl"
            app.crl_url = crl_url
            provisioning_url = f"https://{_url_host(https_host, hostname)}:{https_port}/"
            self.listening = Listening(os.getpid(), hostname, https_port, http_port, provisioning_url, crl_url,
                                       crl_url.removesuffix("/crl") + "/ocsp", identity.serial)
            log.info("serving %s (EST, pairing) and %s (CRL, OCSP)", self.listening.provisioning_url,
                     self.listening.crl_url)
            await self._beat(loop, pool)  # before "ready": whoever waits for it finds the heartbeat
            ready(self.listening)
            housekeeping = asyncio.create_task(self._housekeeping(pool, app))
            await stop.wait()
            log.info("stopping: finishing %d request(s) in progress", len(self._tasks))
            housekeeping.cancel()
            await self._beat(loop, pool, last=True)
            self._refusals.flush()
        finally:
            secure.close()
            plain.close()
            if self._tasks:
                await asyncio.wait(self._tasks, timeout=SHUTDOWN_GRACE)
            await loop.run_in_executor(pool, _quietly, app.flush_refusals)
            await secure.wait_closed()
            await plain.wait_closed()

    async def _beat(self, loop: asyncio.AbstractEventLoop, pool: ThreadPoolExecutor, *, last: bool = False) -> None:
        """The heartbeat in the store (core/service_heartbeat.py): alive at these URLs, or (``last``) gone."""
        listening = self.listening
        try:
            if last:
                await loop.run_in_executor(pool, service_heartbeat.gone, self.store, self.heartbeat)
            elif listening is not None:
                await loop.run_in_executor(pool, lambda: service_heartbeat.beat(
                    self.store, self.heartbeat, provisioning_url=listening.provisioning_url,
                    crl_url=listening.crl_url))
        except Exception as error:  # a busy store now and then must not stop the service
            log.warning("heartbeat not written: %s", error)

    async def _housekeeping(self, pool: ThreadPoolExecutor, app: ProvisioningApp) -> None:
        loop = asyncio.get_running_loop()
        beats = max(1, round(HOUSEKEEPING_SECONDS / service_heartbeat.BEAT_SECONDS))
        while True:
            for _ in range(beats):
                await asyncio.sleep(HOUSEKEEPING_SECONDS / beats)
                await self._beat(loop, pool)
            try:
                expired = await loop.run_in_executor(pool, tickets.expire_due, self.store)
                if expired:
                    log.info("%d pairing code(s) expired", expired)
                await loop.run_in_executor(pool, app.flush_refusals)
                signed = await loop.run_in_executor(pool, app.sign_pending)
                if signed is not None:
                    log.info("CRL #%d signed for pending revocations", signed.number)
            except Exception as error:  # a busy store now and then must not stop the service
                log.warning("housekeeping failed: %s", error)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                          listener: _Listener) -> None:
        task = asyncio.current_task()
        peer = writer.get_extra_info("peername")
        client = str(peer[0]) if isinstance(peer, tuple) and peer else "?"

        def evict() -> None:  # on plain HTTP a client that was about to send its request still reads why
            self._refusals.note(f"{listener.name}: idle, closed to make room", client)
            if listener.tls is None:
                writer.write(_BUSY.encode())
                writer.close()
            else:
                writer.transport.abort()

        slot = listener.gate.admit(client, evict) if task is not None else "no task"
        if isinstance(slot, str) or task is None:
            self._refusals.note(f"{listener.name}: {slot}", client)
            await self._refuse(reader, writer, listener)
            return
        self._tasks.add(task)
        try:
            # No await before this call: the TLS handshake must take over the connection before any byte is read.
            await self._serve_connection(reader, writer, listener, slot)
        finally:
            listener.gate.release(slot)
            self._tasks.discard(task)

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, listener: _Listener) -> None:
        """Over a limit: a 503 on plain HTTP (bounded in number), a bare close where that would cost a handshake."""
        if listener.tls is not None or self._refusing >= MAX_REFUSING:
            writer.transport.abort()
            return
        self._refusing += 1
        try:
            await http.send(writer, _BUSY, reader, linger=REFUSAL_LINGER)
        finally:
            self._refusing -= 1

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                                listener: _Listener, slot: Slot) -> None:
        started, client = time.monotonic(), slot.client

        def closed(why: str) -> None:  # no request to answer: close, and count it (evict() did both already)
            if not slot.evicted:
                self._refusals.note(f"{listener.name}: {why}", client)
                writer.transport.abort()

        if listener.tls is not None:
            try:
                await writer.start_tls(listener.tls, ssl_handshake_timeout=HANDSHAKE_TIMEOUT)
            except OSError:  # ssl.SSLError, a reset, or ConnectionAbortedError when the handshake timed out
                closed("TLS handshake failed or too slow")
                return
        line, head = "-", False
        unread: asyncio.StreamReader | None = None
        try:
            async with asyncio.timeout(http.REQUEST_TIMEOUT):
                request = await http.read_request(reader, client, first_byte_timeout=FIRST_BYTE_TIMEOUT,
                                                  on_first_byte=lambda: listener.gate.active(slot))
        except http.Idle:
            closed(f"nothing sent within {FIRST_BYTE_TIMEOUT:.0f} s")
            return
        except http.RequestError as error:
            response, unread = error.response, reader
        except TimeoutError:
            response = http.error_response(408, "request_timeout", f"The request did not arrive within "
                                                                   f"{http.REQUEST_TIMEOUT:.0f} seconds.")
        except OSError:
            closed("dropped before the request was complete")
            return
        else:
            line, head = f"{request.method} {_printable(request.path)}", request.method == "HEAD"
            secured = writer.get_extra_info("ssl_object")
            if secured is not None:
                request = replace(request, peer_certificate=secured.getpeercert(binary_form=True))
            response = await asyncio.get_running_loop().run_in_executor(self._pool, listener.handler, request)
        await http.send(writer, response, unread, head=head)
        log.info('%s %s "%s" %d %dB %s%.0fms', client, listener.name, line, response.status, len(response.body),
                 f"{response.note} " if response.note else "", (time.monotonic() - started) * 1000)

    # --- foreground and background ----------------------------------------------------------------------------

    def run(self, *, ready_file: Path | None = None) -> int:
        """Serve until SIGTERM or SIGINT; ``ready_file`` gets the ports as JSON once both listeners answer."""

        def ready(listening: Listening) -> None:
            if ready_file is not None:
                temporary = ready_file.with_name(f".{ready_file.name}.tmp")
                temporary.write_text(json.dumps(asdict(listening)))
                temporary.replace(ready_file)

        asyncio.run(self._serve(ready, signals=True))
        log.info("stopped")
        return 0

    def request_stop(self) -> None:
        """Stop accepting, let requests in progress finish, then return from ``run`` (thread-safe)."""
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)

    def start(self, *, timeout: float = 60.0) -> Listening:
        """Serve on a background thread; returns once both listeners answer (or raises why they could not)."""
        started = threading.Event()
        failure: list[BaseException] = []

        def ready(_: Listening) -> None:
            started.set()

        def body() -> None:
            try:
                asyncio.run(self._serve(ready))
            except BaseException as error:  # handed to the starting thread
                failure.append(error)
                started.set()

        self._thread = threading.Thread(target=body, name="zmconsole-service", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise InputError("The provisioning service did not start in time: check the log.")
        if failure:
            raise failure[0]
        assert self.listening is not None
        return self.listening

    def stop(self, *, timeout: float = SHUTDOWN_GRACE + 5) -> None:
        """Stop a service started with ``start`` and wait for its thread."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


_BUSY = http.error_response(503, "unavailable", "The provisioning service has too many connections open: try "
                                                "again shortly.", headers={"Retry-After": RETRY_AFTER})


@dataclass(frozen=True)
class _Listener:
    name: str  # in the log: "https" or "http"
    gate: Gate
    handler: Callable[[http.Request], http.Response]
    tls: ssl.SSLContext | None  # started on each connection once the gate has let it in


async def _bind(starting: Awaitable[asyncio.Server], listener: str, address: tuple[str, int]) -> asyncio.Server:
    try:
        return await starting
    except OSError as error:
        host, port = address
        raise InputError(f"Cannot listen on {host}:{port} ({error.strerror or error}).",
                         hint=Hint(HintKind.LISTEN_ADDRESS, listener)) from error


def _printable(text: str) -> str:
    """A path as it may appear in the log: printable ASCII only, cut at 120 characters."""
    return "".join(ch if 32 < ord(ch) < 127 else "?" for ch in text[:120])


def _quietly(work: Callable[[], None]) -> None:
    """Run ``work`` while stopping: a failure is logged, never left to stop the shutdown."""
    try:
        work()
    except Exception as error:
        log.warning("could not write the last refusal summary: %s", error)
