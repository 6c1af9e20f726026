"""Monitoring speed: the command line's cold starts and the expiry check on a 100,000-device store.

Monitoring runs ``zmconsole check-expiry`` every few minutes, so what counts is a fresh process: the
interpreter's own start (``python -c pass``) is measured in the same run as the floor, and every cold figure
is printed next to it. Targets (issue 11): ``zmconsole --help`` within 3x the floor; ``check-expiry``, text
and ``--json``, under 0.5 s; the status counts in process under 50 ms. Nothing here asserts; the PASS/MISS
is a reading for people (docs/performance.md). The load average is printed at the start and at the end:
the machine may be shared, and every figure moves with it.

The store is filled through SQLAlchemy Core with devices whose current certificates expire between 10 days
ago and 400 days ahead (about a quarter have crossed a threshold), as on a site that issues all year round.
The check lists the worst 50 of those by default; ``--limit 0`` (every one of them) is timed for comparison.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import _common as c

import zmconsole
from zmconsole.core import expiry, inventory
from zmconsole.core import store as store_module
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


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _child_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _in_process(runs: int, action: Callable[[], object]) -> tuple[float, float, float]:
    """Median and best of ``runs`` wall timings, and the median CPU time of this process per call."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return _median(walls), min(walls), _median(cpus)


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
        commands = {
            "help": [exe, "--help"],
            "text": [exe, "--home", home, "check-expiry"],
            "json": [exe, "--home", home, "check-expiry", "--json"],
            "all": [exe, "--home", home, "check-expiry", "--limit", "0"],
            "all-json": [exe, "--home", home, "check-expiry", "--json", "--limit", "0"],
        }
        # Turns, so that a burst of load on the shared machine hits the floor and the commands alike.
        # Each child's CPU seconds too (the kernel's account of the reaped process): far less moved by the other
        # users of a shared machine than its wall time.
        cold: dict[str, list[float]] = {name: [] for name in ("floor", *commands)}
        cpu: dict[str, list[float]] = {name: [] for name in cold}
        size: dict[str, int] = {}
        for _ in range(args.runs):
            for name, argv in (("floor", [sys.executable, "-c", "pass"]), *commands.items()):
                before = _child_cpu()
                seconds, _, _, size[name] = c.cold_start(argv, runs=1, env=env, ok_codes=(0, 1, 2))
                cpu[name].append(_child_cpu() - before)
                cold[name].append(seconds)
        median = {name: _median(values) for name, values in cold.items()}
        cpu_median = {name: _median(values) for name, values in cpu.items()}
        floor = cold["floor"]
        settings = load_settings(store)
        repeats = args.runs * 4

        def driver_summary() -> expiry.Summary:  # what check-expiry runs on this store: no SQLAlchemy
            with store_module.open_snapshot(store.home or root) as snapshot:
                return expiry.summary(snapshot, settings, c.now_utc())

        in_process = {
            "driver": _in_process(repeats, driver_summary),
            "summary": _in_process(repeats, lambda: inventory.expiry_summary(store, settings)),
            "status": _in_process(args.runs, lambda: inventory.status_counts(store, settings)),
        }
        found = inventory.expiry_summary(store, settings)
        store.dispose()
    load_after = os.getloadavg()

    help_ratio = median["help"] / median["floor"]

    def against_floor(name: str) -> str:
        return (f"{median[name] / median['floor']:.1f}x the floor; CPU {c.duration(cpu_median[name])}; "
                f"{size[name] / 1024:,.0f} KiB of output")

    c.table(f"Cold starts, median of {args.runs} fresh processes taking turns ({args.devices:,} devices, "
            f"{found.total:,} crossed a threshold)", [
        c.Line("python -c pass (interpreter floor)", c.duration(median["floor"]),
               f"best {c.duration(min(floor))}; CPU {c.duration(cpu_median['floor'])}"),
        c.Line("zmconsole --help", c.duration(median["help"]),
               f"{c.verdict(help_ratio, TARGET_HELP_RATIO, at_most=True)} of the floor; best "
               f"{c.duration(min(cold['help']))}; CPU {c.duration(cpu_median['help'])} "
               f"({cpu_median['help'] / cpu_median['floor']:.2f}x the floor's)"),
        c.Line("zmconsole check-expiry", c.duration(median["text"]),
               f"{_seconds(median['text'], TARGET_CHECK_SECONDS)}; {against_floor('text')}"),
        c.Line("zmconsole check-expiry --json", c.duration(median["json"]),
               f"{_seconds(median['json'], TARGET_CHECK_SECONDS)}; {against_floor('json')}"),
        c.Line("zmconsole check-expiry --limit 0 (every item)", c.duration(median["all"]),
               f"for comparison; {against_floor('all')}"),
        c.Line("zmconsole check-expiry --json --limit 0", c.duration(median["all-json"]),
               f"for comparison; {against_floor('all-json')}"),
    ])
    def counted(label: str, name: str, *, target: bool = True) -> c.Line:
        middle, best, cpu_time = in_process[name]
        verdict = _seconds(middle, TARGET_COUNTS_SECONDS) if target else "for comparison"
        return c.Line(label, c.duration(middle), f"{verdict}; best {c.duration(best)}; CPU {c.duration(cpu_time)}")

    c.table(f"In process, median (best) of {repeats} / {args.runs} ({args.devices:,} devices)", [
        counted("expiry.summary on store.open_snapshot (check-expiry's counts, as it runs them)", "driver"),
        counted("inventory.expiry_summary (the same SQL through SQLAlchemy, as on PostgreSQL)", "summary"),
        counted("inventory.status_counts (every status of every device, the dashboard's)", "status", target=False),
    ])
    print(f"\nLoad average at the end: {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")


if __name__ == "__main__":
    main()
