"""Monitoring speed: the command line's cold starts and the expiry check on a 100,000-device store.

Monitoring runs ``zmconsole check-expiry`` every few minutes, so what counts is a fresh process: the
interpreter's own start (``python -c pass``) is measured in the same run as the floor, and every cold figure
is printed next to it. Targets (issue 11): ``zmconsole --help`` within 3x the floor; ``check-expiry``, text
and ``--json``, under 0.5 s; the status counts in process under 50 ms. Nothing here asserts; the PASS/MISS
is a reading for people (docs/performance.md).

The store is filled through SQLAlchemy Core with devices whose current certificates expire between 10 days
ago and 400 days ahead (about a quarter have crossed a threshold), as on a site that issues all year round.
"""

from __future__ import annotations

import argparse
import compileall
import os
import sys
import tempfile
from pathlib import Path

import _common as c

import zmconsole
from zmconsole.core import inventory
from zmconsole.core.settings import load as load_settings

TARGET_HELP_RATIO = 3.0
TARGET_CHECK_SECONDS = 0.5
TARGET_COUNTS_SECONDS = 0.050


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke run: 5,000 devices, 3 runs each")
    parser.add_argument("--devices", type=int, help="devices in the store (default 100,000)")
    parser.add_argument("--runs", type=int, help="fresh processes per command (default 15)")
    args = parser.parse_args()
    return c.with_sizes(args, quick={"devices": 5_000, "runs": 3}, full={"devices": 100_000, "runs": 15})


def _seconds(value: float, target: float) -> str:
    return f"{'PASS' if value < target else 'MISS'} (target < {c.duration(target)})"


def main() -> None:
    args = _arguments()
    print(f"Machine: {c.machine()}")
    # An installed package has its bytecode (pip compiles it); a source tree run with PYTHONDONTWRITEBYTECODE
    # would compile every module on every cold start. compileall writes it regardless of that setting.
    compileall.compile_dir(Path(zmconsole.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="zm-bench-monitoring-") as tmp:
        root = Path(tmp)
        store = c.new_store(root, "home")
        unlocked = c.create_ca(store, "ec-p384")
        now = c.now_utc()
        fill: list[float] = []
        with c.stopwatch(fill):
            c.fill_store(store, unlocked.info.id, c.synthetic_rows(args.devices, now=now, revoked=False),
                         with_devices=True, now=now)
        c.note(f"{args.devices:,} devices with current certificates filled in {c.duration(fill[0])}")
        assert store.home is not None
        home = str(store.home)
        env = {k: v for k, v in os.environ.items() if k not in ("ZMCONSOLE_PASSPHRASE", "ZMCONSOLE_HOME")}
        exe = c.zmconsole_exe()
        runs = args.runs

        def cold(argv: list[str]) -> tuple[float, float, int, int]:
            return c.cold_start(argv, runs=1, env=env, ok_codes=(0, 1, 2))

        # Turns, so that a burst of load on the shared machine hits the floor and the commands alike.
        floor, helped, text, json_ = [], [], [], []
        for _ in range(runs):
            floor.append(c.cold_start([sys.executable, "-c", "pass"], runs=1)[0])
            helped.append(cold([exe, "--help"])[0])
            text.append(cold([exe, "--home", home, "check-expiry"])[0])
            json_.append(cold([exe, "--home", home, "check-expiry", "--json"])[0])
        median = {name: sorted(values)[len(values) // 2] for name, values in
                  (("floor", floor), ("help", helped), ("text", text), ("json", json_))}
        output = c.cold_start([exe, "--home", home, "check-expiry"], runs=1, env=env, ok_codes=(0, 1, 2))
        settings = load_settings(store)
        counts_best = c.best_of(runs * 4, lambda: inventory.expiry_counts(store, settings))[0]
        status_best = c.best_of(runs, lambda: inventory.status_counts(store, settings))[0]
        crossed = inventory.expiry_counts(store, settings)
        store.dispose()

    help_ratio = median["help"] / median["floor"]
    c.table(f"Cold starts, median of {runs} fresh processes taking turns ({args.devices:,} devices)", [
        c.Line("python -c pass (interpreter floor)", c.duration(median["floor"]), f"best {c.duration(min(floor))}"),
        c.Line("zmconsole --help", c.duration(median["help"]),
               f"{c.verdict(help_ratio, TARGET_HELP_RATIO, at_most=True)} of the floor; best "
               f"{c.duration(min(helped))}"),
        c.Line("zmconsole check-expiry", c.duration(median["text"]),
               f"{_seconds(median['text'], TARGET_CHECK_SECONDS)}; {median['text'] / median['floor']:.1f}x the "
               f"floor; {output[3] / 1024:,.0f} KiB of output"),
        c.Line("zmconsole check-expiry --json", c.duration(median["json"]),
               f"{_seconds(median['json'], TARGET_CHECK_SECONDS)}; {median['json'] / median['floor']:.1f}x the "
               "floor"),
    ])
    c.table(f"In process, best of {runs * 4} / {runs} ({args.devices:,} devices, {sum(crossed.values()):,} crossed a "
            "threshold)", [
        c.Line("inventory.expiry_counts (check-expiry's summary)", c.duration(counts_best),
               _seconds(counts_best, TARGET_COUNTS_SECONDS)),
        c.Line("inventory.status_counts (every status, the dashboard's)", c.duration(status_best),
               "for comparison"),
    ])


if __name__ == "__main__":
    main()
