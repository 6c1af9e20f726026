"""The provisioning service under load: N devices pairing and N renewing at once, over real TLS on loopback.

Measured in one run, on this machine (issue 9, the benchmark bullet):

1. A real ``zmconsole serve`` (its own process, 127.0.0.1, free ports). N devices pair at once: each has its
   QR and code (made before timing with ``tickets.prepare``, the code keys derived before timing too), opens
   its own TLS connection and sends ``simpleenroll`` with its CSR and code proof. Then N devices renew at
   once: each presents its current certificate over mutual TLS and sends ``simplereenroll`` with a new key's
   CSR. Every request is released by one barrier; each latency runs from the release to the last byte of the
   answer (TCP connect and TLS handshake included). Requests per second = N / (time until the last answer).
2. Next to it, the raw cost of the same cryptographic work, one request after another in this process: the
   code-proof check (HMAC, constant-time compare), the CSR's self-signature, building and signing the device
   certificate with the CA key, and one SQLite commit of its row (``_common.RawCommitDb``). Raw requests per
   second = 1 / that cost. Targets: the service at least 70 % of the raw throughput, and p99 under 2 s at 50.

The clients run on the same 2 cores as the service (threads in this process: their TLS handshakes and
Python HTTP code compete with the service), so the figures are a floor for the service, not its ceiling.
Run ``python benchmarks/bench_service_load.py`` (N = 50 and 200) or ``--sizes 20`` for a smoke run.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import http.client
import ssl
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402

from tests.support.renewal import KEY_PASSWORD, Identity, identity, new_key_request  # noqa: E402
from tests.support.service import ENROLL, Pairing, RunningService, device_csr, make_ca, running_service  # noqa: E402
from zmconsole.core import ca, paths  # noqa: E402
from zmconsole.core.pairing import protocol, tickets  # noqa: E402
from zmconsole.core.pairing.protocol import ProofPurpose  # noqa: E402
from zmconsole.core.settings import load as load_settings  # noqa: E402
from zmconsole.core.store import Store  # noqa: E402

PASSPHRASE = "correct horse battery staple, benchmark"
TIMEOUT = 120.0


def _source(index: int) -> tuple[str, int]:
    """Each device its own loopback address (127.0.x.y): the service's per-address limit is per device."""
    index %= 250 * 250
    return (f"127.0.{1 + index // 250}.{1 + index % 250}", 0)


def _context(service: RunningService, who: Identity | None = None) -> ssl.SSLContext:
    """A device's TLS context, made before timing (loading the CA and an encrypted key is the device's own
    start-up cost, not the service's)."""
    context = service.client_context()
    if who is not None:
        context.load_cert_chain(who.cert_file, who.key_file, password=KEY_PASSWORD)
    return context


def _post(service: RunningService, path: str, body: bytes, headers: dict[str, str], index: int,
          context: ssl.SSLContext) -> int:
    connection = http.client.HTTPSConnection("127.0.0.1", service.https_port, context=context, timeout=TIMEOUT,
                                             source_address=_source(index))
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()


def at_once(requests: list[Callable[[], int]]) -> tuple[float, list[float], list[int]]:
    """Release every request by one barrier; the wall time until the last answer, each latency, each status."""
    latencies = [0.0] * len(requests)
    statuses = [0] * len(requests)
    barrier = threading.Barrier(len(requests) + 1)
    released = [0.0]
    failures: list[str] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            statuses[index] = requests[index]()
        except OSError as error:
            statuses[index] = -1
            failures.append(f"{type(error).__name__}: {error}")
        latencies[index] = time.perf_counter() - released[0]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    released[0] = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(TIMEOUT)
    if failures:
        print(f"  {len(failures)} request(s) failed, for example {failures[0]}")
    return max(latencies), latencies, statuses


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def raw_cost(store: Store, unlocked: ca.UnlockedCa, folder: Path, samples: int) -> float:
    """Seconds per request of the raw work a pairing or renewal needs (median of ``samples``)."""
    db = c.RawCommitDb(folder / "raw.db")
    auth_key, token = b"k" * 32, b"t" * 16
    times: list[float] = []
    for index in range(samples):
        name = c.device_id(900_000 + index)
        key = ec.generate_private_key(ec.SECP256R1())
        der = device_csr(name, key)
        proof = protocol.make_code_proof(auth_key, purpose=ProofPurpose.ENROLL, token=token, device_id=name, body=der)
        pem = x509.load_der_x509_csr(der).public_bytes(serialization.Encoding.PEM)
        with c.stopwatch(times):
            expected = protocol.make_code_proof(auth_key, purpose=ProofPurpose.ENROLL, token=token, device_id=name,
                                                body=der)
            assert hmac.compare_digest(expected, proof)
            assert x509.load_der_x509_csr(der).is_signature_valid
            cert = c.raw_certificate(unlocked.key, unlocked.certificate, pem, name, c.now_utc())
            db.commit(cert, name)
    db.close()
    return statistics.median(times)


def prepare_pairings(store: Store, unlocked: ca.UnlockedCa, service: RunningService, start: int, count: int
                     ) -> list[Callable[[], int]]:
    settings = load_settings(store)
    requests: list[Callable[[], int]] = []
    for index in range(start, start + count):
        ticket = tickets.prepare(store, unlocked, c.device_id(index), url=service.provisioning_url, settings=settings)
        paired = Pairing(ticket.qr_text, ticket.pairing_code)
        der = device_csr(paired.device_id)
        headers = {**paired.headers(ProofPurpose.ENROLL, der), "Content-Type": "application/pkcs10",
                   "Content-Transfer-Encoding": "base64"}
        body = base64.encodebytes(der)
        requests.append(partial(_post, service, ENROLL, body, headers, index, _context(service)))
    return requests


def prepare_renewals(store: Store, unlocked: ca.UnlockedCa, service: RunningService, folder: Path, start: int,
                     count: int) -> list[Callable[[], int]]:
    requests: list[Callable[[], int]] = []
    for index in range(start, start + count):
        who = identity(store, unlocked, c.device_id(index), folder)
        body = base64.encodebytes(new_key_request(who.device_id)[1])
        headers = {"Content-Type": "application/pkcs10", "Content-Transfer-Encoding": "base64"}
        requests.append(partial(_post, service, "/.well-known/est/simplereenroll", body, headers, index,
                                _context(service, who)))
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200], help="concurrent devices (default 50 200)")
    parser.add_argument("--raw-samples", type=int, default=200)
    args = parser.parse_args()
    print(c.machine())
    with tempfile.TemporaryDirectory(prefix="zmconsole-bench-load-") as temp:
        root = Path(temp)
        home = paths.ensure_home(root / "home")
        make_ca(home, passphrase=PASSPHRASE)
        with running_service(home, passphrase=PASSPHRASE) as service:
            store = Store.open(home)
            unlocked = ca.unlock(store, PASSPHRASE)
            raw = raw_cost(store, unlocked, root, args.raw_samples)
            print(f"raw work per request (proof check, CSR signature, sign, one commit): {c.ms(raw)} "
                  f"= {1 / raw:,.0f} requests/s on one core")
            start = 1
            for size in args.sizes:
                for label in ("pairing", "renewal"):
                    requests = (prepare_pairings(store, unlocked, service, start, size) if label == "pairing" else
                                prepare_renewals(store, unlocked, service, root, start + 100_000, size))
                    wall, latencies, statuses = at_once(requests)
                    ok = sum(1 for status in statuses if status == 200)
                    others = sorted({status for status in statuses if status != 200})
                    rate = size / wall
                    print(f"{label:8} N={size:<4} {ok}/{size} answered 200  {rate:7.1f} requests/s "
                          f"({rate * raw:4.0%} of raw)  p50 {c.ms(percentile(latencies, 0.5))}  "
                          f"p99 {c.ms(percentile(latencies, 0.99))}"
                          + ("  (target p99 < 2 s)" if size == 50 else "")
                          + (f"  other answers: {others}" if others else ""))
                start += size
            store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
