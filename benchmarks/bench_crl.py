"""Generating a CRL with 100,000 revoked entries through the product, next to raw `cryptography` and `openssl ca`.

Measured in one run, on this machine (issue 2, the `benchmarks/` bullet):

1. ``revocation.generate_crl(store, ca)`` on a real SQLite store holding 100,000 revoked certificate rows
   (inserted directly through SQLAlchemy Core; placeholder DER, no device rows), per CA key type. Next to it:
   the raw `cryptography` cost for the same entries held in memory (a RevokedCertificate built per entry, the
   whole list given to CertificateRevocationListBuilder's constructor, signed, DER-encoded). Target: within
   1.3x of the raw builder. For the record, `add_revoked_certificate()` chained per entry, which is quadratic.
2. `openssl ca -gencrl` on an index.txt holding the same 100,000 revoked entries, with the stored CA key.
3. What unlocking the CA costs (the 600,000-iteration PBKDF2, and the RSA key re-validation the product skips
   for a key it validated when it stored it), the `zmconsole crl generate` cold start, and the peak RSS of
   CRL generation, measured in a fresh process.

Run `python benchmarks/bench_crl.py --quick` for a smoke run, no options for the full size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.x509.oid import NameOID

from zmconsole.core import ca, revocation
from zmconsole.core.keyfiles import PBKDF2_ITERATIONS
from zmconsole.core.keys import PrivateKey, signature_hash
from zmconsole.core.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c


@dataclass(frozen=True)
class Entry:
    serial: int
    revoked_at: int
    reason: str


def entries_of(rows: Sequence[c.Synthetic]) -> list[Entry]:
    return [Entry(int(r.serial, 16), r.revoked_at or 0, r.reason or "") for r in rows]


def revoked_certificates(entries: Sequence[Entry], *, per_reason: bool) -> list[x509.RevokedCertificate]:
    """One RevokedCertificate per entry: from a builder per reason (as the product does), or a fresh chain each."""
    if per_reason:
        bases = {flag: x509.RevokedCertificateBuilder().add_extension(x509.CRLReason(flag), critical=False)
                 for flag in set(revocation.REASONS.values())}
        return [bases[revocation.REASONS[e.reason]].serial_number(e.serial)
                .revocation_date(datetime.fromtimestamp(e.revoked_at, UTC)).build() for e in entries]
    return [
        x509.RevokedCertificateBuilder().serial_number(e.serial)
        .revocation_date(datetime.fromtimestamp(e.revoked_at, UTC))
        .add_extension(x509.CRLReason(revocation.REASONS[e.reason]), critical=False)
        .build()
        for e in entries
    ]


def raw_crl(entries: Sequence[Entry], unlocked: ca.UnlockedCa, now: datetime, number: int, *,
            per_reason: bool = True) -> bytes:
    """The raw reference: the entries, the whole list to the builder's constructor, sign, DER."""
    return _signed(revoked_certificates(entries, per_reason=per_reason), unlocked, now, number)


def _signed(revoked: list[x509.RevokedCertificate], unlocked: ca.UnlockedCa, now: datetime, number: int) -> bytes:
    ski = unlocked.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = x509.CertificateRevocationListBuilder(
        issuer_name=unlocked.certificate.subject, last_update=now, next_update=now + timedelta(hours=48),
        revoked_certificates=revoked,
        extensions=[
            x509.Extension(x509.AuthorityKeyIdentifier.oid, False,
                           x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)),
            x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
        ],
    )
    return builder.sign(unlocked.key, signature_hash(unlocked.key)).public_bytes(serialization.Encoding.DER)


def _sign_only(entries: Sequence[Entry], unlocked: ca.UnlockedCa, runs: int) -> float:
    """The builder, signature and DER alone, on RevokedCertificate objects built beforehand."""
    prebuilt = revoked_certificates(entries, per_reason=True)
    return c.best_of(runs, lambda: _signed(prebuilt, unlocked, c.now_utc(), 1))[0]


def trap(count: int, key: PrivateKey) -> tuple[float, float]:
    """Seconds for add_revoked_certificate() chained per entry, and for the constructor, on ``count`` entries."""
    now = c.now_utc()
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "trap")])
    revoked = [x509.RevokedCertificateBuilder().serial_number(i + 1).revocation_date(now).build()
               for i in range(count)]
    chained: list[float] = []
    with c.stopwatch(chained):
        builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer).last_update(now)
                   .next_update(now + timedelta(hours=48)))
        for entry in revoked:
            builder = builder.add_revoked_certificate(entry)
        builder.sign(key, signature_hash(key))
    constructor: list[float] = []
    with c.stopwatch(constructor):
        x509.CertificateRevocationListBuilder(issuer_name=issuer, last_update=now,
                                              next_update=now + timedelta(hours=48),
                                              revoked_certificates=revoked).sign(key, signature_hash(key))
    return chained[0], constructor[0]


def unlock_costs(store: Store, runs: int) -> dict[str, float]:
    """``ca.unlock`` and its parts: the KDF alone, the key load with and without RSA re-validation."""
    assert store.home is not None
    pem = (store.home / ca.CA_KEY_FILE).read_bytes()
    secret = c.PASSPHRASE.encode()

    def kdf() -> None:
        PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=b"\0" * 16, iterations=PBKDF2_ITERATIONS).derive(secret)

    return {
        "unlock": c.best_of(runs, lambda: ca.unlock(store, c.PASSPHRASE))[0],
        "kdf": c.best_of(runs, kdf)[0],
        "checked": c.best_of(runs, lambda: serialization.load_pem_private_key(pem, secret))[0],
        "skipped": c.best_of(runs, lambda: serialization.load_pem_private_key(
            pem, secret, unsafe_skip_rsa_key_validation=True))[0],
    }


def rss_probe(mode: str, home: Path, passphrase: Path) -> None:
    """Run in a fresh process: RSS before and peak during one CRL generation, as JSON on stdout."""
    store = Store.open(home)
    unlocked = ca.unlock(store, passphrase.read_text().strip())
    now = c.now_utc()
    entries: list[Entry] = []
    if mode == "raw":
        import sqlite3

        db = sqlite3.connect(home / "zmconsole.db")
        entries = [Entry(int(s, 16), r, why) for s, r, why in
                   db.execute("SELECT serial, revoked_at, revocation_reason FROM certificates ORDER BY id")]
        db.close()
    before = c.current_rss_mib()
    if mode == "raw":
        raw_crl(entries, unlocked, now, 1)
    else:
        revocation.generate_crl(store, unlocked, now=now)
    print(json.dumps({"before": before, "peak": c.peak_rss_mib()}))


def measure_rss(mode: str, home: Path, passphrase: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--probe", mode, "--home", str(home),
                           "--passphrase-file", str(passphrase)], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_ca(root: Path, key_type: str, rows: list[c.Synthetic], passphrase: Path,
             args: argparse.Namespace) -> None:
    label = c.CA_LABELS[key_type]
    store = c.new_store(root, f"home-{key_type}")
    unlocked = c.create_ca(store, key_type)
    now = c.now_utc()
    fill: list[float] = []
    with c.stopwatch(fill):
        c.fill_store(store, unlocked.info.id, rows, with_devices=False, now=now)
    entries = entries_of(rows)

    product: list[float] = []
    raw: list[float] = []
    naive: list[float] = []
    sizes: set[int] = set()
    order = ["product", "raw", "naive"]
    for turn in range(args.runs):  # take turns, so the machine's other load hits all three alike
        for what in order[turn % 3:] + order[:turn % 3]:
            if what == "product":
                with c.stopwatch(product):
                    info = revocation.generate_crl(store, unlocked)
                assert info.entries == len(rows), (info.entries, len(rows))
            else:
                with c.stopwatch(raw if what == "raw" else naive):
                    der = raw_crl(entries, unlocked, c.now_utc(), 1, per_reason=what == "raw")
                sizes.add(len(der))
    sign_only = _sign_only(entries, unlocked, args.runs)
    best_product, best_raw, best_naive = min(product), min(raw), min(naive)

    assert store.home is not None
    digest = "sha384" if key_type == "ec-p384" else "sha256"
    authority = c.OpensslCa(root / f"openssl-{key_type}", ca_cert=store.home / ca.CA_CERT_FILE,
                            ca_key=store.home / ca.CA_KEY_FILE, passphrase_file=passphrase, digest=digest)
    expiry = c.openssl_time(int(now.timestamp()) + 300 * c.DAY)
    authority.write_index(
        f"R\t{expiry}\t{c.openssl_time(r.revoked_at or 0)},{c.OPENSSL_REASONS[r.reason or 'lost']}\t{r.serial}"
        f"\tunknown\t/C=US/O=Hospital/OU=ICU/CN={r.name}\n" for r in rows)
    crl_file = root / f"openssl-{key_type}.crl.pem"
    openssl = c.best_of(args.openssl_runs, lambda: authority.gencrl(crl_file))[0]
    openssl_entries = len(x509.load_pem_x509_crl(crl_file.read_bytes()))

    costs = unlock_costs(store, args.runs)
    rss = measure_rss("product", store.home, passphrase)
    rss_raw = measure_rss("raw", store.home, passphrase)
    cli = c.cold_start([c.zmconsole_exe(), "--home", str(store.home), "--passphrase-file", str(passphrase),
                        "crl", "generate", "--out", str(root / f"cli-{key_type}.crl.pem")], runs=args.cli_runs)

    count = len(rows)
    c.table(f"CRL with {count:,} revoked entries, {label} CA (best of {args.runs}, product and raw taking turns)", [
        c.Line("product  revocation.generate_crl(store, ca)", c.duration(best_product),
               f"product/raw = {c.verdict(best_product / best_raw, 1.3, at_most=True)}"),
        c.Line("raw      entries from one builder per reason + builder(revoked_certificates=...) + sign + DER",
               c.duration(best_raw), f"CRL of {max(sizes) / 2**20:,.1f} MiB; built as the product builds it"),
        c.Line("raw      ... with a fresh builder chain per entry (the issue's reference)", c.duration(best_naive),
               f"product/this = {best_product / best_naive:,.2f}x (information)"),
        c.Line("raw      ... of which builder + sign + DER on pre-built entries", c.duration(sign_only),
               "(information: the per-entry objects are most of the cost)"),
        c.Line(f"openssl  ca -gencrl, index.txt with the same {count:,} entries (stored key)", c.duration(openssl),
               f"openssl/product = {openssl / best_product:,.2f}x; {openssl_entries:,} entries in its CRL"),
        c.Line("cli      zmconsole crl generate --out (fresh process: imports, unlock, generate, write)",
               c.duration(cli[0]), f"median of {args.cli_runs}; best {c.duration(cli[1])}"),
    ])
    c.note(f"{count:,} revoked rows inserted through SQLAlchemy Core in {c.duration(fill[0])}")
    for what, times in (("product", product), ("raw", raw), ("raw, fresh chains", naive)):
        c.note(f"every {what} run: {', '.join(c.duration(t) for t in times)}")
    validation = costs["checked"] - costs["skipped"]
    c.table(f"Unlocking the {label} CA and memory (best of {args.runs})", [
        c.Line("ca.unlock(store, passphrase)", c.duration(costs["unlock"]), "what every front end pays once"),
        c.Line(f"  PBKDF2-HMAC-SHA256, {PBKDF2_ITERATIONS:,} iterations alone", c.duration(costs["kdf"]),
               "on purpose: the passphrase guard"),
        c.Line("  load_pem_private_key, key checks on", c.duration(costs["checked"]), "includes the KDF"),
        c.Line("  load_pem_private_key, unsafe_skip_rsa_key_validation", c.duration(costs["skipped"]),
               f"includes the KDF; the skipped check costs {c.duration(max(validation, 0.0))}"),
        c.Line("peak RSS, generate_crl in a fresh process", f"{rss['peak']:,.0f} MiB",
               f"{rss['before']:,.0f} MiB before (imports, store, unlocked CA); "
               f"+{rss['peak'] - rss['before']:,.0f} MiB for {count:,} entries"),
        c.Line("peak RSS, raw builder in a fresh process", f"{rss_raw['peak']:,.0f} MiB",
               f"{rss_raw['before']:,.0f} MiB before (entries already in memory)"),
    ])
    store.dispose()


def bench_trap(args: argparse.Namespace) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP384R1())
    lines = []
    results = [(size, *trap(size, key)) for size in args.trap]
    for size, chained, constructor in results:
        lines.append(c.Line(f"add_revoked_certificate() chained, {size:,} entries", c.duration(chained),
                            f"constructor with the same list: {c.duration(constructor)}; "
                            f"{chained / max(constructor, 1e-9):,.0f}x slower"))
    if len(results) > 1:
        (small, slow_small, _), (large, slow_large, _) = results[0], results[-1]
        growth = slow_large / slow_small
        lines.append(c.Line(f"chained growth from {small:,} to {large:,} entries", f"{growth:,.1f}x",
                            f"({large / small:,.0f}x the entries: quadratic would be {(large / small) ** 2:,.0f}x)"))
    c.table("The trap, for the record (EC P-384 key; pre-built entries, so only the builder is timed)", lines)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = c.arguments(__doc__, quick="a small run (10,000 entries)", ca="CA key types to measure (default both)")
    parser.add_argument("--entries", type=int, help="revoked entries (default 100,000)")
    parser.add_argument("--runs", type=int, help="timed runs of product and raw each (default 5)")
    parser.add_argument("--openssl-runs", type=int, help="timed openssl ca -gencrl runs (default 2)")
    parser.add_argument("--cli-runs", type=int, help="zmconsole crl generate cold starts (default 3)")
    parser.add_argument("--trap", type=int, nargs="+", help="entry counts for the chained-builder trap "
                        "(default 10000 20000)")
    parser.add_argument("--probe", choices=["product", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--passphrase-file", type=Path, help=argparse.SUPPRESS)
    return c.with_sizes(parser.parse_args(argv),
                        quick={"entries": 10_000, "runs": 3, "openssl_runs": 1, "cli_runs": 1, "trap": [2_500, 5_000]},
                        full={"entries": 100_000, "runs": 5, "openssl_runs": 2, "cli_runs": 3,
                              "trap": [10_000, 20_000]})


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.probe:
        rss_probe(args.probe, args.home, args.passphrase_file)
        return 0
    print(f"bench_crl: {' '.join(sys.argv[1:]) or '(full size)'}")
    print(f"machine: {c.machine()}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zm-bench-crl-") as tmp:
        root = Path(tmp)
        passphrase = c.passphrase_file(root)
        rows = c.synthetic_rows(args.entries, now=c.now_utc(), revoked=True)
        reasons = {why: sum(1 for r in rows if r.reason == why) for why in revocation.REASONS}
        print(f"setup: {len(rows):,} revoked rows ({', '.join(f'{n:,} {w}' for w, n in reasons.items())}), "
              "revoked within the last 30 days, expiring in 300 days")
        for key_type in args.ca:
            bench_ca(root, key_type, rows, passphrase, args)
        bench_trap(args)
    print(f"\ntotal wall time {c.duration(time.perf_counter() - started)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
