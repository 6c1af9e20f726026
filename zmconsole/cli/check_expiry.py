"""``zmconsole check-expiry``: the daily expiry check, run by monitoring every few minutes.

Its own module so that it imports only what the check reads with: the store's snapshot for portable SQL, the
settings and the expiry queries (:mod:`zmconsole.core.expiry`). On the embedded SQLite store of a site without
operators that means no SQLAlchemy, and nowhere any CA code, pairing or QR codes (docs/performance.md). A
store with operators signs in first (``--operator``), as for every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from zmconsole.cli.context import Context
from zmconsole.cli.exit_codes import EXIT_CRITICAL, EXIT_OK, EXIT_WARNING
from zmconsole.core import expiry, paths, roles, settings, store, utc
from zmconsole.core.status import NEEDS_ACTION, Status

PERFORMANCE_ORDER = (Status.EXPIRING_7, Status.EXPIRING_30, Status.EXPIRED, Status.EXPIRING_90)


def _date(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d}"


def check_expiry(args: argparse.Namespace, ctx: Context) -> int:
    """The daily check, with the monitoring-plugin exit convention (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).

    The summary comes first and is one query over the expiry index; a list of at most ``--limit``
    items follows, worst (soonest) first, and says how many more there are. The text output ends with the
    performance data (``| expiring_7=... expiring_30=... expired=... expiring_90=...``), on the first line when
    nothing is listed, else after the list, as Nagios and Icinga read it.

    A device that renews itself (paired, or renewed by its own agent) is listed but is not counted, in the
    exit status or the summary, until its renewal is overdue or has failed (seed §7): each item says which.
    """
    now = utc.now()
    limit: int | None = args.limit or None  # 0: every item
    with store.open_snapshot(paths.ensure_home(ctx.home)) as snapshot:  # a single-person site: nobody signs in
        read = None if roles.has_operators_in(snapshot) else _read(snapshot, now, limit)
    if read is None:  # a store with operators: signed in and held to the role table, as every command is
        roles.require(ctx.store, roles.Operation.VIEW)
        with ctx.store.snapshot() as snapshot:
            read = _read(snapshot, now, limit)
    current, found, items = read
    counts = {status: found.needs_action[status] for status in reversed(NEEDS_ACTION)}  # worst first
    renewing = sum(found.automatic.values())
    not_listed = max(0, found.total - len(items))
    code = (EXIT_CRITICAL if any(n for s, n in counts.items() if s.critical) else
            EXIT_WARNING if any(counts.values()) else EXIT_OK)
    label = {EXIT_OK: "OK", EXIT_WARNING: "WARNING", EXIT_CRITICAL: "CRITICAL"}[code]
    if args.json:
        _emit_json({"status": label, "exit_code": code, "checked_at": now.isoformat(timespec="seconds"),
                    "thresholds_days": list(current.thresholds),
                    "renewing_automatically": {str(s): found.automatic[s] for s in counts},
                    "limit": limit, "not_listed": not_listed,
                    "counts": {str(s): n for s, n in counts.items()}}, items)
        return code
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or \
        ("nothing needs action" if renewing else f"nothing within {current.threshold_warn} days")
    if renewing:
        summary += f"; {renewing} renewing automatically"
    perf = "| " + " ".join(f"{s.replace('-', '_')}={counts[s]}" for s in PERFORMANCE_ORDER)
    lines = [f"ZMCONSOLE EXPIRY {label} - {summary}"]
    lines += [f"{i.status:<12} {i.kind:<7} {i.name:<24} {_date(i.not_after)} ({i.days_left} days)  {i.serial}"
              + ("  renewing automatically" if i.renewal == expiry.AUTOMATIC else "") for i in items]
    if not_listed:
        lines.append(f"... and {not_listed} more (zmconsole check-expiry --limit 0 lists every one)")
    if items:
        lines.append(perf)
    else:
        lines[0] += f" {perf}"
    sys.stdout.write("\n".join(lines) + "\n")
    return code


def _read(snapshot: store.Snapshot, now: datetime, limit: int | None
          ) -> tuple[settings.Settings, expiry.Summary, list[expiry.ExpiryItem]]:
    """The settings, the summary and the list, from one snapshot."""
    current = settings.read(snapshot)
    found = expiry.summary(snapshot, current, now)
    return current, found, expiry.items(snapshot, current, now, ca=found.ca, limit=limit) if found.total else []


def _emit_json(head: dict[str, object], items: list[expiry.ExpiryItem]) -> None:
    """The summary, then the items one compact object a line: the C encoder, where ``indent`` would take the
    pure-Python one (seconds for a hundred thousand items)."""
    out = sys.stdout
    out.write(json.dumps(head, indent=2)[:-2] + ',\n  "items": [')
    out.write(",".join(f"\n    {json.dumps(item.as_json())}" for item in items))
    out.write("\n  ]\n}\n" if items else "]\n}\n")
