"""The expiry report agrees with the inventory and exports as CSV."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import CsrFactory
from zmconsole.core import ca, issuance, report, settings
from zmconsole.core.store import Store

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_report_counts_weeks_and_items(store: Store, unlocked: ca.UnlockedCa, make_csr: CsrFactory,
                                       tmp_path: Path) -> None:
    current = settings.load(store)
    issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"), now=NOW)
    issuance.issue_device(store, unlocked, "ZM-002", csr=make_csr("ZM-002"), days=365, now=NOW - timedelta(days=360))
    built = report.build(store, current, now=NOW)
    assert built.counts["active"] == 1 and built.counts["expiring-7"] == 1 and built.total == 2
    # Both are counted: the one issued today falls in the last of the 53 weeks, a full year ahead.
    assert len(built.per_week) == report.WEEKS and built.per_week[0] == 1 and built.per_week[-1] == 1
    assert sum(built.per_week) == 2
    assert [item.name for item in built.needs_action] == ["ZM-002"]

    out = report.write_csv(built, tmp_path / "report.csv")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0][:4] == ["report", "expiry", "generated_utc", NOW.isoformat()]
    assert ["active", "1"] in rows and ["expiring-7", "1"] in rows
    header = rows.index(["kind", "name", "serial", "not_after_utc", "days_left", "status"])
    assert rows[header + 1][:2] == ["device", "ZM-002"] and rows[header + 1][4:] == ["5", "expiring-7"]
