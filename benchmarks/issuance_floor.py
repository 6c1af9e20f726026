"""Where issuance time goes beyond "raw signing plus one commit": how much is SQLAlchemy's execution layer.

An experiment, not product code. Three ways to issue device certificates from pre-made CSRs take turns in chunks
of 50, as in bench_issuance.py:

1. **product**: ``issuance.issue_device(store, ca, device_id, csr=pem, settings=settings)``.
2. **same work, sqlite3**: everything the product does for one certificate (device-ID and CSR checks with the
   CSR's signature, the product's certificate builder and signature, the device and certificate rows, the
   hash-chained audit entry and its head, one ``BEGIN IMMEDIATE`` transaction), with the product's own statements
   (compiled once by SQLAlchemy for SQLite) sent through the ``sqlite3`` module instead of SQLAlchemy Core, on a
   second store made by ``Store.open`` with the same CA. Audit chains of both stores are verified at the end.
3. **raw + commit**: bench_issuance.py's reference (parse, build, sign, one row in a bare sqlite3 database).

The gap between 1 and 2 is what SQLAlchemy's execution layer (statement execution, results, transaction and
pool handling) costs per certificate; the gap between 2 and 3 is the product's required work that the reference
leaves out. Run ``python benchmarks/issuance_floor.py`` (1,000 certificates per CA) or with ``--count N``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from zmconsole.core import audit, issuance, policy, profiles
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import DB_FILENAME

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

CHUNK = 50


class Prepared:
    """A product statement compiled once by SQLAlchemy for SQLite, run through the sqlite3 module."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Sequence[str] = ()) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        self.order = list(compiled.positiontup or ())
        # Values the statement carries itself (LIMIT 1); the others come with each call.
        self.fixed = {k: p.value for k, p in compiled.binds.items() if not p.required}

    def args(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(values[k] if k in values else self.fixed[k] for k in self.order)


class SameWork:
    """issue_device's work for a new device, the statements sent through sqlite3 (see the module docstring)."""

    def __init__(self, home: Path, unlocked: UnlockedCa, settings: Settings, dialect: Dialect) -> None:
        self.ca, self.settings = unlocked, settings
        self.db = sqlite3.connect(home / DB_FILENAME, isolation_level=None)
        for pragma in ("busy_timeout = 10000", "foreign_keys = ON", "journal_mode = WAL", "synchronous = NORMAL"):
            self.db.execute(f"PRAGMA {pragma}")
        certificate_columns = ["serial", "kind", "common_name", "device_id", "ca_id", "not_before", "not_after",
                               "issued_at", "key_type", "key_source", "fingerprint", "der"]
        self.state = Prepared(issuance._DEVICE_STATE, dialect)
        self.insert_device = Prepared(issuance._INSERT_DEVICE, dialect, ["device_id", "ward", "location",
                                                                         "created_at"])
        self.insert_certificate = Prepared(issuance._INSERT_CERTIFICATE, dialect, certificate_columns)
        self.last_entry = Prepared(audit._LAST_ENTRY, dialect)
        self.insert_entry = Prepared(audit._INSERT_ENTRY, dialect, ["seq", "at", "os_user", "action", "subject",
                                                                    "details", "prev_hash", "hash"])
        self.update_head = Prepared(audit._UPDATE_HEAD, dialect)
        self.update_device = Prepared(issuance._UPDATE_DEVICE, dialect, ["current_certificate_id"])

    def _run(self, prepared: Prepared, values: Mapping[str, Any]) -> sqlite3.Cursor:
        return self.db.execute(prepared.sql, prepared.args(values))

    def issue(self, device_id: str, csr: bytes) -> None:
        ca, settings = self.ca, self.settings
        now = datetime.now(UTC)
        t = int(now.timestamp())
        policy.check_device_id(device_id, settings)
        dns_name = policy.device_dns_name(device_id, settings)
        request = issuance._prepare(ca, what=device_id, common_name=device_id, csr=csr, generate=None, ou=None,
                                    expected_names=[dns_name, device_id], client=True)
        not_before, not_after, _ = issuance._validity(ca, settings.device_days, now)
        urls = profiles.Urls(settings.crl_url, settings.ocsp_url, settings.ca_issuers_url)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            assert self._run(self.state, {"b_now": t, "b_device": device_id}).fetchone() is None
            cert = profiles.leaf_certificate(
                ca_key=ca.key, ca_cert=ca.certificate, public_key=request.public_key,
                subject=profiles.leaf_subject(ca.issuer, device_id, request.ou), names=[x509.DNSName(dns_name)],
                usage=profiles.CLIENT_AUTH, not_before=not_before, not_after=not_after, urls=urls, issuer=ca.issuer)
            self._run(self.insert_device, {"device_id": device_id, "ward": request.ou, "location": None,
                                           "created_at": t})
            der = cert.public_bytes(serialization.Encoding.DER)
            serial = profiles.serial_hex(cert.serial_number)
            record_id = self._run(self.insert_certificate, {
                "serial": serial, "kind": "device", "common_name": device_id, "device_id": device_id,
                "ca_id": ca.info.id, "not_before": int(cert.not_valid_before_utc.timestamp()),
                "not_after": int(cert.not_valid_after_utc.timestamp()), "issued_at": t, "key_type": request.key_type,
                "key_source": request.key_source, "fingerprint": hashlib.sha256(der).hexdigest(),
                "der": der}).lastrowid
            last = self._run(self.last_entry, {}).fetchone()
            prev_seq, prev_hash = (0, audit.GENESIS) if last is None else (int(last[0]), str(last[1]))
            seq, at, user = prev_seq + 1, now.isoformat(timespec="seconds"), audit.os_user()
            body = audit.canonical({"serial": serial, "kind": "device", "not_after": cert.not_valid_after_utc
                                    .isoformat(), "key": request.key_type, "key_source": request.key_source})
            digest = audit._entry_hash(seq, at, user, "cert.issued", device_id, body, prev_hash)
            self._run(self.insert_entry, {"seq": seq, "at": at, "os_user": user, "action": "cert.issued",
                                          "subject": device_id, "details": body, "prev_hash": prev_hash,
                                          "hash": digest})
            assert self._run(self.update_head, {"head_key": "audit_head",
                                                "head_value": json.dumps([seq, digest])}).rowcount == 1
            self._run(self.update_device, {"current_certificate_id": record_id, "b_device": device_id})
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise


def measure(root: Path, key_type: str, count: int) -> dict[str, float]:
    product_store = c.new_store(root, f"product-{key_type}")
    unlocked = c.create_ca(product_store, key_type)
    same_store = c.new_store(root, f"same-{key_type}")
    same_ca = c.import_ca(same_store, product_store)
    assert same_store.home is not None
    same = SameWork(same_store.home, same_ca, load_settings(same_store), same_store.engine.dialect)
    settings = load_settings(product_store)
    raw_db = c.RawCommitDb(root / f"raw-{key_type}.db")
    batches = {name: c.make_csrs(count, start=start) for name, start in (("product", 1), ("same", 300_001),
                                                                          ("raw", 600_001))}
    actions: dict[str, Callable[[str, bytes], object]] = {
        "product": lambda name, pem: issuance.issue_device(product_store, unlocked, name, csr=pem, settings=settings),
        "same": same.issue,
        "raw": lambda name, pem: raw_db.commit(c.raw_certificate(unlocked.key, unlocked.certificate, pem, name,
                                                                 datetime.now(UTC)), name),
    }
    for name, action in actions.items():  # warm-up, outside the timings
        for device, pem in c.make_csrs(3, start={"product": 900_001, "same": 910_001, "raw": 920_001}[name]):
            action(device, pem)
    spent: dict[str, list[float]] = {name: [] for name in actions}
    order = list(actions)
    for turn, begin in enumerate(range(0, count, CHUNK)):
        for name in order[turn % 3:] + order[:turn % 3]:
            batch = batches[name][begin:begin + CHUNK]
            start = time.perf_counter()
            for device, pem in batch:
                actions[name](device, pem)
            spent[name].append((time.perf_counter() - start) / len(batch))
    for store in (product_store, same_store):
        assert audit.verify(store).ok
        store.dispose()
    raw_db.close()
    return {name: statistics.median(times) for name, times in spent.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1000, help="certificates per CA and per way (default 1,000)")
    parser.add_argument("--ca", nargs="+", choices=list(c.CA_LABELS), default=list(c.CA_LABELS))
    args = parser.parse_args(argv)
    print(f"issuance_floor: {' '.join(sys.argv[1:]) or '(default)'}")
    print(f"machine: {c.machine()}")
    with tempfile.TemporaryDirectory(prefix="zm-bench-floor-") as tmp:
        for key_type in args.ca:
            result = measure(Path(tmp), key_type, args.count)
            product, same, raw = result["product"], result["same"], result["raw"]
            c.table(f"{c.CA_LABELS[key_type]} CA: {args.count:,} certificates each, per certificate (median chunk "
                    f"of {CHUNK}, taking turns)", [
                        c.Line("product  issue_device (SQLAlchemy Core)", c.ms(product),
                               f"product/(raw+commit) = {product / raw:,.2f}x"),
                        c.Line("same work, statements through sqlite3", c.ms(same),
                               f"this/(raw+commit) = {same / raw:,.2f}x; SQLAlchemy's share "
                               f"{c.ms(product - same)} per certificate"),
                        c.Line("raw + commit (bench_issuance.py's reference)", c.ms(raw), ""),
                    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
