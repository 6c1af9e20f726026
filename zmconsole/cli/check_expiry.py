"""``zmconsole check-expiry``: the daily expiry check, run by monitoring every few minutes.

Its own module so that it imports only the store and the inventory: no CA code, no pairing, no QR codes.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from zmconsole.cli.context import Context
from zmconsole.cli.exit_codes import EXIT_CRITICAL, EXIT_OK, EXIT_WARNING
from zmconsole.core import inventory, utc
from zmconsole.core.status import NEEDS_ACTION, Status


def _date(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d}"


def check_expiry(args: argparse.Namespace, ctx: Context) -> int:
    """The daily check, with the monitoring-plugin exit convention (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).

    The summary comes first and is one aggregate over the expiry index; the list follows. The text output
    ends with the performance data (``| expiring_7=... expiring_30=... expired=... expiring_90=...``), on the
    first line when nothing is listed, else after the list, as Nagios and Icinga read it.

    A device that renews itself (paired, or renewed by its own agent) is listed but is not counted, in the
    exit status or the summary, until its renewal is overdue or has failed (seed §7): each item says which.
    """
    now = utc.now()
    current = ctx.settings()
    found = inventory.expiry_counts(ctx.store, current, now=now)
    automatic = inventory.automatic_counts(ctx.store, current, now=now)
    counts = {status: found[status] - automatic[status] for status in reversed(NEEDS_ACTION)}  # worst first
    renewing = sum(automatic.values())
    code = (EXIT_CRITICAL if any(n for s, n in counts.items() if s.critical) else
            EXIT_WARNING if any(counts.values()) else EXIT_OK)
    label = {EXIT_OK: "OK", EXIT_WARNING: "WARNING", EXIT_CRITICAL: "CRITICAL"}[code]
    items = inventory.crossed_thresholds(ctx.store, current, now=now) if code != EXIT_OK or renewing else []
    if args.json:
        _emit_json({"status": label, "exit_code": code, "checked_at": now.isoformat(timespec="seconds"),
                    "thresholds_days": list(current.thresholds),
                    "renewing_automatically": {str(s): automatic[s] for s in counts},
                    "counts": {str(s): n for s, n in counts.items()}}, items)
        return code
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or \
        ("nothing needs action" if renewing else "nothing within 90 days")
    if renewing:
        summary += f"; {renewing} renewing automatically"
    perf = "| " + " ".join(f"{s.replace('-', '_')}={counts[s]}" for s in PERFORMANCE_ORDER)
    lines = [f"ZMCONSOLE EXPIRY {label} - {summary}"]
    lines += [f"{i.status:<12} {i.kind:<7} {i.name:<24} {_date(i.not_after)} ({i.days_left} days)  {i.serial}"
              + ("  renewing automatically" if i.renewal == inventory.AUTOMATIC else "") for i in items]
    if items:
        lines.append(perf)
    else:
        lines[0] += f" {perf}"
    sys.stdout.write("\n".join(lines) + "\n")
    return code


PERFORMANCE_ORDER = (Status.EXPIRING_7, Status.EXPIRING_30, Status.EXPIRED, Status.EXPIRING_90)


def _emit_json(head: dict[str, object], items: list[inventory.ExpiryItem]) -> None:
    """The summary, then the items one compact object a line: the C encoder, where ``indent`` would take the
    pure-Python one (seconds for a hundred thousand items)."""
    out = sys.stdout
    out.write(json.dumps(head, indent=2)[:-2] + ',\n  "items": [')
    out.write(",".join(f"\n    {json.dumps(item.as_json())}" for item in items))
    out.write("\n  ]\n}\n" if items else "]\n}\n")
