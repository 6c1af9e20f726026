"""A flood of idle connections on the plain-HTTP CRL port while a device pairs over HTTPS.

The flood comes from several loopback addresses (127.0.0.2 to 127.0.0.13 and 127.0.0.1 itself), so both
the listener's own limit and the per-address limit are reached. Everything is bounded: at most
:data:`WAVES` waves of :data:`PER_WAVE` connections, stopped as soon as the pairing and the probes are done.
No timing is asserted: the pairing succeeds, every ``/crl`` probe from a flooding address is answered (200,
or 503 with ``Retry-After``; never a silent close), a probe from another address is served (the listener
evicts idle connections to make room), and the log summarises the refusals in a few lines.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tests.support.service import Pairing, call, device_csr, enroll, make_ca, running_service
from zmconsole.core import paths

FLOOD_ADDRESSES = [f"127.0.0.{n}" for n in range(1, 14)]
PER_ADDRESS = 40  # over the per-address limit (32); 13 addresses are over the listener's limit (256)
PER_WAVE = PER_ADDRESS * len(FLOOD_ADDRESSES)
WAVES = 20
PROBES = 15
BYSTANDER = "127.0.0.200"  # floods nothing


@contextmanager
def flood(port: int) -> Iterator[list[int]]:
    """Idle connections to ``port``, renewed wave after wave until the block ends; yields [connections made]."""
    made = [0]
    stop = threading.Event()

    def body() -> None:
        for _ in range(WAVES):
            with ExitStack() as wave:
                for address in FLOOD_ADDRESSES:
                    for _ in range(PER_ADDRESS):
                        if stop.is_set():
                            return
                        try:
                            wave.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5,
                                                                        source_address=(address, 0)))
                            made[0] += 1
                        except OSError:
                            pass  # a full backlog: the next one
                if stop.wait(1.0):
                    return

    thread = threading.Thread(target=body, name="flood", daemon=True)
    thread.start()
    try:
        yield made
    finally:
        stop.set()
        thread.join(60)
        assert not thread.is_alive()


def probe_crl(port: int, source: str) -> int:
    """GET /crl from ``source``: the status, after checking a 503 says when to come back."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        connection.request("GET", "/crl")
        answer = connection.getresponse()
        body = answer.read()
        if answer.status == 503:
            assert answer.getheader("Retry-After"), answer.getheaders()
            assert b'"unavailable"' in body
        return answer.status
    finally:
        connection.close()


def test_a_crl_port_flood_does_not_stop_pairing_and_is_logged_in_a_few_lines(tmp_path: Path) -> None:
    home = paths.ensure_home(tmp_path / "home")
    make_ca(home)
    device_id = "ZM-700"
    statuses: list[int] = []
    bystander: list[int | str] = []
    with running_service(home) as service, flood(service.http_port) as made:
        paired = Pairing.of(service.pair(device_id))
        for n in range(PROBES):
            statuses.append(probe_crl(service.http_port, FLOOD_ADDRESSES[n % 2]))
            try:
                bystander.append(probe_crl(service.http_port, BYSTANDER))
            except (OSError, http.client.HTTPException) as error:  # evicted in a race it lost: rare, allowed
                bystander.append(type(error).__name__)
            assert call(service, "GET", "/.well-known/est/cacerts").status == 200
        answer = enroll(service, paired, device_csr(device_id))
        flooded = made[0]
    assert answer.status == 200, answer.body
    assert set(statuses) <= {200, 503}, statuses
    assert 200 in bystander, bystander
    assert flooded > 256  # more than the listener holds
    log = service.log()
    assert "Traceback" not in log
    assert_refusals_summarised(log)


def assert_refusals_summarised(log: str) -> None:
    lines = [line for line in log.splitlines() if "refused" in line]
    counted = sum(int(m.group(1)) for m in re.finditer(r"(\d+) connection\(s\) refused or closed unused", log))
    assert lines, log[-2000:]
    assert len(lines) <= 2 + WAVES // 5, "\n".join(lines)  # one line per 10 s at most, and the last one at stop
    assert counted >= 10 * len(lines), "\n".join(lines)  # each line stands for many refusals
