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
    issuance.issue_device(store, unlocked, "ZM-002", csr=make_csr("ZM-002"), location="Bed 4", days=365,
                          now=NOW - timedelta(days=360))
    built = report.build(store, current, now=NOW)
    assert built.counts["active"] == 1 and built.counts["expiring-7"] == 1 and built.total == 2
    # Both are counted: the one issued today falls in the last of the 53 weeks, a full year ahead.
    assert len(built.per_week) == report.WEEKS and built.per_week[0] == 1 and built.per_week[-1] == 1
    assert sum(built.per_week) == 2
    assert [item.name for item in built.needs_action] == ["ZM-002"]

    out = report.write_csv(built, tmp_path / "report.csv")
    rows = list(csv.reader(out.open(encoding="utf-8")))
    # One table: the header, then a row per certificate that needs action, with where the device is.
    assert rows[0] == ["kind", "name", "ward", "location", "serial", "not_after_utc", "days_left", "status",
                       "renewal"]
    assert len(rows) == 2 and all(len(row) == len(rows[0]) for row in rows)
    ward = built.needs_action[0].ward
    assert ward and rows[1][:4] == ["device", "ZM-002", ward, "Bed 4"]
    assert rows[1][6:8] == ["5", "expiring-7"]
