"""The security officer's expiry report: what the dashboard shows and what is exported (seed §2.2.1, §7).

One :func:`build` gathers the counts per status, the expiries per week over the
next year and the certificates that need action, all at the same ``now``, so
the screen, the CSV and the PDF always agree with each other.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zmconsole.core import inventory, utc
from zmconsole.core.errors import InputError
from zmconsole.core.roles import Operation
from zmconsole.core.roles import require as require_role
from zmconsole.core.settings import Settings
from zmconsole.core.status import Status
from zmconsole.core.store import Store

WEEKS = 53  # a full year (365 or 366 days) from today: a certificate issued today is in the last bar


@dataclass(frozen=True)
class ExpiryReport:
    generated_at: datetime
    thresholds: tuple[int, int, int]
    counts: dict[Status, int]  # every inventory status, zero included
    per_week: list[int]  # current certificates expiring in week 0, 1, ... from generated_at
    needs_action: list[inventory.ExpiryItem]  # crossed a threshold, soonest first

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def build(store: Store, settings: Settings, *, now: datetime | None = None, weeks: int = WEEKS) -> ExpiryReport:
    now = utc.now(now)
    counts, per_week = figures(store, settings, now=now, weeks=weeks)
    return complete(now, settings, counts, per_week, inventory.crossed_thresholds(store, settings, now=now))


def figures(store: Store, settings: Settings, *, now: datetime, weeks: int = WEEKS
            ) -> tuple[dict[Status, int], list[int]]:
    """The report's two aggregate queries (counts per status, expiries per week): quick on any store.

    A screen can show these first and the list of certificates needing action (one row per certificate, so
    slower on a large store) when :func:`complete` has it; pass the same ``now`` to both halves.
    """
    return (inventory.status_counts(store, settings, now=now),
            inventory.expiries_per_week(store, settings, now=now, weeks=weeks))


def complete(now: datetime, settings: Settings, counts: dict[Status, int], per_week: list[int],
             needs_action: list[inventory.ExpiryItem]) -> ExpiryReport:
    return ExpiryReport(generated_at=now, thresholds=settings.thresholds, counts=counts, per_week=per_week,
                        needs_action=needs_action)


CSV_HEADER = ("kind", "name", "ward", "location", "serial", "not_after_utc", "days_left", "status", "renewal")


def write_csv(report: ExpiryReport, path: Path, *, store: Store | None = None) -> Path:
    """One table, a row per certificate that needs action (with the device's ward and location), so a
    spreadsheet or a script reads it as it is; the counts and the chart are the PDF's summary. With the
    ``store`` the report came from, its signed-in operator must be allowed to export reports."""
    if store is not None:
        require_role(store, Operation.REPORT_EXPORT, str(path))
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CSV_HEADER)
            writer.writerows([item.kind, item.name, item.ward or "", item.location or "", item.serial,
                              item.not_after.isoformat(), item.days_left, item.status, item.renewal]
                             for item in report.needs_action)
    except OSError as error:
        raise InputError(f"Cannot write the report {path} ({error.strerror}): choose another file.") from error
    return path
