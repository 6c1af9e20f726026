"""Issuing device certificates through the product's API, next to raw `cryptography` and to `openssl ca`.

Measured in one run, on this machine (issue 2, the `benchmarks/` bullet):

1. ``issuance.issue_device(store, unlocked_ca, device_id, csr=..., settings=...)`` for every pre-made CSR on a
   real SQLite store, the path the CLI and the GUI take, per CA key type (RSA-4096, the seed's default, and
   EC P-384). Next to it: the raw `cryptography` cost of parsing the CSR and building and signing the same
   certificate, and that plus one SQLite commit of the row. Target: within 1.3x of raw signing plus one commit.
2. `openssl ca -batch` issuing the same CSRs one by one into an index.txt, with the stored CA key (600,000
   PBKDF2 iterations, paid by every invocation) and with the key re-encrypted at OpenSSL's default 2,048
   iterations (openssl's own cost). Target: the product at least 10x faster per certificate.
3. How `openssl ca` slows down once index.txt holds many entries, next to the product issuing into a store
   that already holds as many devices.
4. Command-line cold starts: `zmconsole device list --json` on the 1,000-device store and `zmconsole
   check-expiry` on the large store, with the query plan that shows the expiry check is indexed.

Device keys are EC P-256 (what the monitors generate; RSA-2048 CSRs would only make setting up slower).
Run `python benchmarks/bench_issuance.py --quick` for a smoke run, no options for the full size.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select

from zmconsole.core import issuance, schema
from zmconsole.core.ca import CA_CERT_FILE, CA_KEY_FILE, UnlockedCa
from zmconsole.core.inventory import crossed_thresholds
from zmconsole.core.settings import Settings
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import DB_FILENAME, Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

CHUNK = 50  # product, raw and raw+commit take turns per chunk, so the machine's other load hits all three alike


@dataclass
class CaRun:
    key_type: str
    store: Store
    unlocked: UnlockedCa
    product: float  # seconds per certificate
    raw: float
    raw_commit: float
    openssl_stored: float
    openssl_fast: float


def _write_csrs(root: Path, csrs: list[tuple[str, bytes]]) -> list[tuple[str, Path]]:
    folder = root / "csrs"
    folder.mkdir()
    files = []
    for name, pem in csrs:
        path = folder / f"{name}.csr.pem"
        path.write_bytes(pem)
        files.append((name, path))
    return files


def _issue_product(store: Store, unlocked: UnlockedCa, settings: Settings, batch: list[tuple[str, bytes]]) -> None:
    for name, pem in batch:
        issuance.issue_device(store, unlocked, name, csr=pem, settings=settings)


def _issue_raw(unlocked: UnlockedCa, batch: list[tuple[str, bytes]], db: c.RawCommitDb | None) -> None:
    now = datetime.now(UTC)
    for name, pem in batch:
        cert = c.raw_certificate(unlocked.key, unlocked.certificate, pem, name, now)
        if db is not None:
            db.commit(cert, name)


def _openssl_loop(authority: c.OpensslCa, files: list[tuple[str, Path]], out: Path) -> float:
    """The median seconds of one `openssl ca` invocation over ``files``."""
    out.mkdir(exist_ok=True)
    times: list[float] = []
    for name, csr in files:
        with c.stopwatch(times):
            authority.issue(csr, out / f"{name}.crt.pem", name)
    return statistics.median(times)


def bench_ca(root: Path, key_type: str, csrs: list[tuple[str, bytes]], files: list[tuple[str, Path]],
             passphrase: Path, args: argparse.Namespace) -> CaRun:
    label = c.CA_LABELS[key_type]
    store = c.new_store(root, f"home-{key_type}")
    unlocked = c.create_ca(store, key_type)
    settings = load_settings(store)
    raw_db = c.RawCommitDb(root / f"raw-{key_type}.db")
    # Warm-up outside the timings: first-call imports and statement compilation.
    warm = c.make_csrs(3, start=900_001)
    _issue_product(store, unlocked, settings, warm)
    _issue_raw(unlocked, warm, raw_db)

    spent: dict[str, list[float]] = {"product": [], "raw": [], "raw_commit": []}
    actions = {
        "product": lambda batch: _issue_product(store, unlocked, settings, batch),
        "raw": lambda batch: _issue_raw(unlocked, batch, None),
        "raw_commit": lambda batch: _issue_raw(unlocked, batch, raw_db),
    }
    order = list(actions)
    for turn, begin in enumerate(range(0, len(csrs), CHUNK)):
        batch = csrs[begin:begin + CHUNK]
        for what in order[turn % 3:] + order[:turn % 3]:
            with c.stopwatch(spent[what]):
                actions[what](batch)
    raw_db.close()
    count = len(csrs)
    sizes = [len(csrs[begin:begin + CHUNK]) for begin in range(0, len(csrs), CHUNK)]
    per_cert = {k: [t / n for t, n in zip(v, sizes, strict=True)] for k, v in spent.items()}
    product, raw, raw_commit = (statistics.median(per_cert[k]) for k in ("product", "raw", "raw_commit"))
    mean_product = sum(spent["product"]) / count

    # The two paths make the same certificate: same extensions, same criticality, in the same order.
    sample = issuance.issue_device(store, unlocked, "ZM-900100", csr=c.make_csrs(1, start=900_100)[0][1],
                                   settings=settings)
    reference = c.raw_certificate(unlocked.key, unlocked.certificate, csrs[0][1], csrs[0][0], datetime.now(UTC))
    same = c.extension_profile(sample.certificate) == c.extension_profile(reference)

    assert store.home is not None
    digest = "sha384" if key_type == "ec-p384" else "sha256"
    stored = c.OpensslCa(root / f"openssl-{key_type}-stored", ca_cert=store.home / CA_CERT_FILE,
                         ca_key=store.home / CA_KEY_FILE, passphrase_file=passphrase, digest=digest)
    fast_key = c.reencrypted_key(store.home / CA_KEY_FILE, passphrase, root / f"ca-{key_type}-2048.key.pem")
    fast = c.OpensslCa(root / f"openssl-{key_type}-fast", ca_cert=store.home / CA_CERT_FILE, ca_key=fast_key,
                       passphrase_file=passphrase, digest=digest)
    stored_files = files[:args.openssl_stored]
    fast_files = files[:args.openssl_count]
    openssl_stored = _openssl_loop(stored, stored_files, root / f"out-{key_type}-stored")
    openssl_fast = _openssl_loop(fast, fast_files, root / f"out-{key_type}-fast")
    assert fast.index_entries() == len(fast_files)

    c.table(f"Issuance with the {label} CA: {count:,} device certificates from pre-made EC P-256 CSRs (PEM)", [
        c.Line("product  issuance.issue_device(store, ca, id, csr=, settings=)", c.ms(product),
               f"per certificate ({1 / product:,.0f}/s; all {count:,} took {c.duration(sum(spent['product']))})"),
        c.Line("raw      parse CSR + CertificateBuilder + sign", c.ms(raw),
               f"product/raw = {product / raw:,.2f}x (information)"),
        c.Line("raw      ... + one SQLite commit of the row", c.ms(raw_commit),
               f"product/(raw+commit) = {c.verdict(product / raw_commit, 1.3, at_most=True)}"),
        c.Line(f"openssl  ca -batch, stored key (600k PBKDF2), {len(stored_files):,} CSRs", c.ms(openssl_stored),
               f"openssl/product = {c.verdict(openssl_stored / product, 10, at_most=False)}"),
        c.Line(f"openssl  ca -batch, key at 2,048 PBKDF2 its, {len(fast_files):,} CSRs", c.ms(openssl_fast),
               f"openssl/product = {c.verdict(openssl_fast / product, 10, at_most=False)}"),
    ])
    c.note(f"product and raw certificates carry the same extensions and criticality: {'yes' if same else 'NO'}")
    c.note(f"per-certificate figures: the median over chunks of {CHUNK}, in which product, raw and raw+commit take "
           f"turns; openssl: the median invocation. Product mean over all {count:,}: {c.ms(mean_product)}")
    return CaRun(key_type, store, unlocked, product, raw, raw_commit, openssl_stored, openssl_fast)


def bench_growth(root: Path, run: CaRun, files: list[tuple[str, Path]], passphrase: Path,
                 args: argparse.Namespace) -> Store:
    """openssl ca on a full index.txt, next to the product on a store holding as many devices."""
    label = c.CA_LABELS[run.key_type]
    entries, sample = args.index_entries, files[:args.index_issues]
    assert run.store.home is not None
    digest = "sha384" if run.key_type == "ec-p384" else "sha256"
    key = root / f"ca-{run.key_type}-2048.key.pem"
    empty = c.OpensslCa(root / "openssl-growth-empty", ca_cert=run.store.home / CA_CERT_FILE, ca_key=key,
                        passphrase_file=passphrase, digest=digest)
    full = c.OpensslCa(root / "openssl-growth-full", ca_cert=run.store.home / CA_CERT_FILE, ca_key=key,
                       passphrase_file=passphrase, digest=digest)
    now = c.now_utc()
    rows = c.synthetic_rows(entries, now=now, revoked=False, start=100_001)
    expiry = c.openssl_time(int(now.timestamp()) + 365 * c.DAY)
    full.write_index(f"V\t{expiry}\t\t{r.serial}\tunknown\t/C=US/O=Hospital/OU=ICU/CN={r.name}\n" for r in rows)
    openssl_times: dict[str, list[float]] = {"empty": [], "full": []}
    for turn, (name, csr) in enumerate(sample):  # taking turns, as everywhere
        for which in ("empty", "full") if turn % 2 == 0 else ("full", "empty"):
            authority = empty if which == "empty" else full
            out = root / f"out-growth-{which}"
            out.mkdir(exist_ok=True)
            with c.stopwatch(openssl_times[which]):
                authority.issue(csr, out / f"{name}.crt.pem", name)
    per_empty, per_full = (statistics.median(openssl_times[k]) for k in ("empty", "full"))

    # Two stores with the same CA, filled the same way: the small one with 1% of the entries.
    big = c.new_store(root, "home-large")
    unlocked = c.import_ca(big, run.store)
    fill: list[float] = []
    with c.stopwatch(fill):
        c.fill_store(big, unlocked.info.id, rows, with_devices=True, now=now)
    small = c.new_store(root, "home-small")
    small_unlocked = c.import_ca(small, run.store)
    small_devices = max(1, entries // 100)
    c.fill_store(small, small_unlocked.info.id, rows[:small_devices], with_devices=True, now=now)
    targets = {"large": (big, unlocked, load_settings(big)),
               "small": (small, small_unlocked, load_settings(small))}
    for which, (store, authority_key, settings) in targets.items():  # warm-up
        _issue_product(store, authority_key, settings, c.make_csrs(2, start=900_201 if which == "large" else 900_301))
    batches = {"large": c.make_csrs(args.large_issues, start=1), "small": c.make_csrs(args.large_issues, start=1)}
    product_times: dict[str, list[float]] = {"large": [], "small": []}
    for turn, begin in enumerate(range(0, args.large_issues, CHUNK)):
        for which in ("large", "small") if turn % 2 == 0 else ("small", "large"):
            chunk = batches[which][begin:begin + CHUNK]
            with c.stopwatch(product_times[which]):
                _issue_product(*targets[which], chunk)
            product_times[which][-1] /= len(chunk)
    per_product_full, per_product_small = (statistics.median(product_times[k]) for k in ("large", "small"))
    small.dispose()

    c.table(f"Growth with history ({label} CA; openssl with the 2,048-iteration key)", [
        c.Line(f"openssl  ca -batch, empty index.txt, {len(sample)} CSRs", c.ms(per_empty), "per certificate"),
        c.Line(f"openssl  ca -batch, index.txt with {entries:,} entries, {len(sample)} CSRs", c.ms(per_full),
               f"per certificate, {per_full / per_empty:,.1f}x the empty index"),
        c.Line(f"product  issue_device, store with {small_devices:,} devices, {args.large_issues} CSRs",
               c.ms(per_product_small), "per certificate"),
        c.Line(f"product  issue_device, store with {entries:,} devices, {args.large_issues} CSRs",
               c.ms(per_product_full), f"per certificate, {per_product_full / per_product_small:,.2f}x the small "
               f"store; openssl/product = {per_full / per_product_full:,.0f}x"),
    ])
    c.note("median invocation for openssl, median chunk of 50 for the product; empty/full and small/large take turns")
    c.note(f"{entries:,} devices with current certificates inserted through SQLAlchemy Core in "
           f"{c.duration(fill[0])}")
    return big


@dataclass(frozen=True)
class ExpiryPlan:
    steps: list[str]
    as_planned: float  # seconds for the query as SQLite plans it
    on_not_after: float  # the same query forced onto ix_certificates_expiry (INDEXED BY), for comparison
    rows: int


def _expiry_query_plan(store: Store, settings: Settings, runs: int) -> ExpiryPlan:
    """EXPLAIN QUERY PLAN of the statement check-expiry really runs (captured as it executes), and its cost."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if "FROM certificates" in statement and "not_after <=" in statement:
            captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        crossed_thresholds(store, settings)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert captured, "check-expiry's query was not seen"
    statement, parameters = captured[0]
    forced = statement.replace("FROM certificates", "FROM certificates INDEXED BY ix_certificates_expiry", 1)
    assert store.home is not None
    db = sqlite3.connect(store.home / DB_FILENAME)
    try:
        steps = [str(row[3]) for row in db.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
        rows = len(db.execute(statement, parameters).fetchall())
        as_planned = c.best_of(runs, lambda: db.execute(statement, parameters).fetchall())[0]
        on_not_after = c.best_of(runs, lambda: db.execute(forced, parameters).fetchall())[0]
    finally:
        db.close()
    return ExpiryPlan(steps, as_planned, on_not_after, rows)


def bench_cli(run: CaRun, big: Store, args: argparse.Namespace) -> None:
    assert run.store.home is not None and big.home is not None
    exe = c.zmconsole_exe()
    runs = args.cli_runs
    python = c.cold_start([sys.executable, "-c", "pass"], runs=runs)
    imports = c.cold_start([sys.executable, "-c", "import zmconsole.cli.main"], runs=runs)
    listing = c.cold_start([exe, "--home", str(run.store.home), "device", "list", "--json"], runs=runs)
    check = c.cold_start([exe, "--home", str(big.home), "check-expiry"], runs=runs, ok_codes=(0, 1, 2))
    check_json = c.cold_start([exe, "--home", str(big.home), "check-expiry", "--json"], runs=runs,
                              ok_codes=(0, 1, 2))
    devices = _device_count(run.store)
    big_devices = _device_count(big)
    settings = load_settings(big)
    plan = _expiry_query_plan(big, settings, runs)
    indexed = any("ix_certificates_expiry" in step for step in plan.steps)
    in_process = c.best_of(runs, lambda: crossed_thresholds(big, settings))[0]

    def fig(result: tuple[float, float, int, int]) -> str:
        return c.duration(result[0])

    c.table(f"Command-line cold starts (median of {runs} fresh processes; best in the note)", [
        c.Line("python -c pass (interpreter floor)", fig(python), f"best {c.duration(python[1])}"),
        c.Line("python -c 'import zmconsole.cli.main' (imports only)", fig(imports), f"best {c.duration(imports[1])}"),
        c.Line(f"zmconsole device list --json, {devices:,} devices", fig(listing),
               f"best {c.duration(listing[1])}; {listing[3] / 1024:,.0f} KiB of JSON"),
        c.Line(f"zmconsole check-expiry, {big_devices:,} devices", fig(check),
               f"best {c.duration(check[1])}; exit {check[2]}; {check[3] / 1024:,.0f} KiB of output"),
        c.Line(f"zmconsole check-expiry --json, {big_devices:,} devices", fig(check_json),
               f"best {c.duration(check_json[1])}; exit {check_json[2]}"),
    ])
    c.table(f"check-expiry's query on {big_devices:,} devices ({plan.rows:,} crossed a threshold; best of {runs})", [
        c.Line("inventory.crossed_thresholds(store, settings), in process", c.duration(in_process),
               "query plus one Python object per crossed certificate"),
        c.Line("its SQL alone, as SQLite plans it", c.duration(plan.as_planned), "plan below"),
        c.Line("its SQL forced onto ix_certificates_expiry (INDEXED BY)", c.duration(plan.on_not_after),
               "for comparison only"),
    ])
    c.note("EXPLAIN QUERY PLAN:")
    for step in plan.steps:
        c.note(f"    {step}")
    c.note(f"uses ix_certificates_expiry: {'yes PASS' if indexed else 'no MISS'}")


def _device_count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.devices)).scalar_one())


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = c.arguments(__doc__, quick="a small run (100 certificates, 10,000 entries)",
                         ca="CA key types to measure (default both; the first is used for growth and CLI)")
    parser.add_argument("--count", type=int, help="certificates issued per CA (default 1,000)")
    parser.add_argument("--openssl-count", type=int, help="CSRs for the openssl ca loop (default: all)")
    parser.add_argument("--openssl-stored", type=int,
                        help="CSRs for the loop with the stored 600k-iteration key (default 100)")
    parser.add_argument("--index-entries", type=int, help="entries pre-filled in index.txt (default 100,000)")
    parser.add_argument("--index-issues", type=int, help="issuances timed against the full index (default 20)")
    parser.add_argument("--large-issues", type=int,
                        help="issuances timed on the store holding --index-entries devices (default 200)")
    parser.add_argument("--cli-runs", type=int, help="fresh processes per CLI figure (default 5)")
    args = c.with_sizes(
        parser.parse_args(argv),
        quick={"count": 100, "openssl_count": 20, "openssl_stored": 5, "index_entries": 10_000, "index_issues": 5,
               "large_issues": 50, "cli_runs": 3},
        full={"count": 1000, "openssl_count": None, "openssl_stored": 100, "index_entries": 100_000,
              "index_issues": 20, "large_issues": 200, "cli_runs": 5},
    )
    args.openssl_count = min(args.openssl_count or args.count, args.count)
    args.openssl_stored = min(args.openssl_stored, args.count)
    args.index_issues = min(args.index_issues, args.count)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    print(f"bench_issuance: {' '.join(sys.argv[1:]) or '(full size)'}")
    print(f"machine: {c.machine()}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zm-bench-issuance-") as tmp:
        root = Path(tmp)
        made: list[float] = []
        with c.stopwatch(made):
            csrs = c.make_csrs(args.count)
        files = _write_csrs(root, csrs)
        passphrase = c.passphrase_file(root)
        print(f"setup: {args.count:,} EC P-256 device keys and CSRs made in {c.duration(made[0])} (not timed below)")
        runs = [bench_ca(root, key_type, csrs, files, passphrase, args) for key_type in args.ca]
        big = bench_growth(root, runs[0], files, passphrase, args)
        bench_cli(runs[0], big, args)
        for run in runs:
            run.store.dispose()
        big.dispose()
    print(f"\ntotal wall time {c.duration(time.perf_counter() - started)}; "
          f"median per-cert product {c.ms(statistics.median(r.product for r in runs))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
