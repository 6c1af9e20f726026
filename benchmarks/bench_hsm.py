"""The CA key in a PKCS#11 token (SoftHSM2) next to the CA key in a file, measured in the same run (issue 12).

For each CA key type, two stores made alike: one whose CA key is a file (unlocked in memory), one whose CA
key was generated in a throw-away SoftHSM2 token (``ca.create(..., token=...)``, unlocked with the PIN).

1. Per certificate: ``issuance.issue_device(store, ca, ...)`` for the same number of pre-made CSRs, the two
   stores taking turns per chunk so that the machine's other load hits both alike. Next to it, the signature
   alone (``ca.key.sign`` over 1 KiB, what a certificate's TBS is) for each key.
2. The 100,000-entry CRL: ``revocation.generate_crl`` on each store holding 100,000 revoked rows (inserted
   directly, as in bench_crl.py), best of N, taking turns.

Needs SoftHSM2 (``softhsm2-util``, /usr/lib/softhsm/libsofthsm2.so) and python-pkcs11 (``zmconsole[pkcs11]``).
Run ``python benchmarks/bench_hsm.py --quick`` for a smoke run, no options for the full size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from zmconsole.core import ca, issuance, revocation, token_keys
from zmconsole.core.keys import signature_hash
from zmconsole.core.settings import load as load_settings
from zmconsole.core.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "314159"
CHUNK = 25


@dataclass
class Side:
    name: str
    store: Store
    unlocked: ca.UnlockedCa


def _token(root: Path) -> token_keys.TokenSpec:
    """A fresh SoftHSM2 token in ``root``; SOFTHSM2_CONF points this process at it."""
    tokens = root / "tokens"
    tokens.mkdir(parents=True)
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "bench", "--pin", PIN, "--so-pin",
                    "12345678"], check=True, capture_output=True)
    return token_keys.TokenSpec(MODULE, "bench", PIN)


def _sides(root: Path, key_type: str, spec: token_keys.TokenSpec) -> tuple[Side, Side]:
    file_store = c.new_store(root, f"file-{key_type}")
    token_store = c.new_store(root, f"token-{key_type}")
    ca.create(token_store, subject=c.ca_subject(), key_type=key_type, token=spec)
    return (Side("file key", file_store, c.create_ca(file_store, key_type)),
            Side("token key", token_store, ca.unlock(token_store, PIN)))


def _sign_once(side: Side, data: bytes) -> None:
    key = side.unlocked.key
    if isinstance(key, rsa.RSAPrivateKey):
        key.sign(data, padding.PKCS1v15(), signature_hash(key))
    else:
        key.sign(data, ec.ECDSA(signature_hash(key)))


def issuance_costs(sides: tuple[Side, Side], count: int) -> dict[str, float]:
    """The median seconds per certificate for each side, taking turns per chunk."""
    csrs = c.make_csrs(count)
    settings = {side.name: load_settings(side.store) for side in sides}
    for side in sides:  # warm-up: first-call imports, statement compilation
        for name, pem in c.make_csrs(2, start=900_001):
            issuance.issue_device(side.store, side.unlocked, name, csr=pem, settings=settings[side.name])
    per_cert: dict[str, list[float]] = {side.name: [] for side in sides}
    for turn, begin in enumerate(range(0, count, CHUNK)):
        batch = csrs[begin:begin + CHUNK]
        for side in (sides if turn % 2 == 0 else sides[::-1]):
            spent: list[float] = []
            with c.stopwatch(spent):
                for name, pem in batch:
                    issuance.issue_device(side.store, side.unlocked, name, csr=pem, settings=settings[side.name])
            per_cert[side.name].append(spent[0] / len(batch))
    return {name: statistics.median(times) for name, times in per_cert.items()}


def crl_costs(sides: tuple[Side, Side], entries: int, runs: int) -> dict[str, list[float]]:
    now = c.now_utc()
    for side in sides:
        c.fill_store(side.store, side.unlocked.info.id, c.synthetic_rows(entries, now=now, revoked=True),
                     with_devices=False, now=now)
    times: dict[str, list[float]] = {side.name: [] for side in sides}
    for run in range(runs):
        for side in (sides if run % 2 == 0 else sides[::-1]):
            with c.stopwatch(times[side.name]):
                crl = revocation.generate_crl(side.store, side.unlocked)
            assert crl.entries >= entries
    return times


def main() -> int:
    parser = c.arguments(__doc__, quick="20 certificates, a 10,000-entry CRL, 2 runs", ca="CA key types")
    parser.add_argument("--certificates", type=int)
    parser.add_argument("--entries", type=int)
    parser.add_argument("--runs", type=int)
    args = c.with_sizes(parser.parse_args(), quick={"certificates": 20, "entries": 10_000, "runs": 2},
                        full={"certificates": 300, "entries": 100_000, "runs": 3})
    print(f"Machine: {c.machine()}")
    print(f"SoftHSM2 module {MODULE}; {args.certificates} certificates, a {args.entries:,}-entry CRL, "
          f"best of {args.runs}")
    with tempfile.TemporaryDirectory(prefix="zm-bench-hsm-") as temp:
        root = Path(temp)
        spec = _token(root / "softhsm")
        for key_type in args.ca:
            sides = _sides(root, key_type, spec)
            tbs = os.urandom(1024)
            signs = {side.name: c.best_of(max(20, args.runs), lambda side=side, tbs=tbs: _sign_once(side, tbs))[0]
                     for side in sides}
            issued = issuance_costs(sides, args.certificates)
            crls = crl_costs(sides, args.entries, args.runs)
            file_, token = (side.name for side in sides)
            label = c.CA_LABELS[key_type]
            c.table(f"{label} CA: file key next to SoftHSM2 token key", [
                c.Line("signature over 1 KiB (best of 20), file key", c.ms(signs[file_])),
                c.Line("signature over 1 KiB (best of 20), token key", c.ms(signs[token]),
                       f"token/file {signs[token] / signs[file_]:.2f}x"),
                c.Line("issue_device per certificate (median of chunks), file key", c.ms(issued[file_])),
                c.Line("issue_device per certificate (median of chunks), token key", c.ms(issued[token]),
                       f"token/file {issued[token] / issued[file_]:.2f}x, +{c.ms(issued[token] - issued[file_])}"),
                c.Line(f"generate_crl, {args.entries:,} entries (best), file key", c.ms(min(crls[file_])),
                       f"runs {', '.join(c.ms(t) for t in crls[file_])}"),
                c.Line(f"generate_crl, {args.entries:,} entries (best), token key", c.ms(min(crls[token])),
                       f"token/file {min(crls[token]) / min(crls[file_]):.2f}x; runs "
                       f"{', '.join(c.ms(t) for t in crls[token])}"),
            ])
            for side in sides:
                side.store.dispose()
            del sides
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
