"""Expiry status (issue 2 "Expiry status"): the exact status names, their bands at 90/30/7 days, the device list
and history, and the daily check's selection, all computed by the database at a given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import PASSPHRASE
from tests.support import storestate
from tests.support.queryplan import captured, is_postgres, steps
from zmconsole.core import ca, inventory, issuance, revocation, settings
from zmconsole.core.errors import InputError, NotFoundError
from zmconsole.core.status import CERTIFICATE_STATUSES
from zmconsole.core.store import Store

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
# device ID -> (issued this long before NOW, validity in days, expected status at NOW)
BANDS = {
    "ZM-001": (DAY * 0, 365, "active"),
    "ZM-002": (DAY * 300, 365, "expiring-90"),
    "ZM-003": (DAY * 345, 365, "expiring-30"),
    "ZM-004": (DAY * 361, 365, "expiring-7"),
    "ZM-005": (DAY * 400, 365, "expired"),
    "ZM-006": (DAY * 10, 365, "revoked"),
    "ZM-007": (-DAY * 10, 365, "not-yet-valid"),
}


@pytest.fixture
def old_ca(store: Store, ca_subject: Any) -> ca.UnlockedCa:
    """A CA made two years before NOW, so certificates issued in the past are inside its validity."""
    return ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", now=NOW - DAY * 730)


@pytest.fixture
def banded(store: Store, old_ca: ca.UnlockedCa) -> dict[str, issuance.Issued]:
    issued = {}
    for device_id, (ago, days, _) in BANDS.items():
        issued[device_id] = issuance.issue_device(store, old_ca, device_id, generate="ec-p256", days=days,
                                                  ward="ICU" if device_id < "ZM-004" else "NICU", now=NOW - ago)
    revocation.revoke(store, "ZM-006", "lost", now=NOW - DAY)
    return issued


def test_status_names_are_exactly_the_documented_ones() -> None:
    assert CERTIFICATE_STATUSES == ("active", "expiring-90", "expiring-30", "expiring-7", "expired", "revoked",
                                  "superseded", "not-yet-valid")


def test_each_device_falls_in_its_band(store: Store, banded: dict[str, issuance.Issued]) -> None:
    rows = inventory.list_devices(store, settings.load(store), now=NOW)
    assert {r.device_id: r.status for r in rows} == {d: s for d, (_, _, s) in BANDS.items()}
    by_id = {r.device_id: r for r in rows}
    assert by_id["ZM-001"].days_left == 365
    assert by_id["ZM-002"].days_left == 65
    assert by_id["ZM-004"].days_left == 4
    assert by_id["ZM-005"].days_left is not None and by_id["ZM-005"].days_left <= 0
    assert by_id["ZM-006"].revocation_reason == "lost"
    assert by_id["ZM-003"].serial == banded["ZM-003"].serial
    assert by_id["ZM-003"].not_after == banded["ZM-003"].certificate.not_valid_after_utc


def test_the_status_filter(store: Store, banded: dict[str, issuance.Issued]) -> None:
    current = settings.load(store)
    for device_id, (_, _, status) in BANDS.items():
        rows = inventory.list_devices(store, current, now=NOW, status=status)
        assert [r.device_id for r in rows] == [device_id], status
    several = inventory.list_devices(store, current, now=NOW, status=["expiring-7", "expired"])
    assert [r.device_id for r in several] == ["ZM-004", "ZM-005"]
    assert inventory.list_devices(store, current, now=NOW, status="superseded") == []
    with pytest.raises(InputError, match="Unknown status 'expiring'"):
        inventory.list_devices(store, current, now=NOW, status="expiring")
    assert inventory.count_devices(store, current, now=NOW, status="active") == 1
    counts = inventory.status_counts(store, current, now=NOW)
    assert counts == {"active": 1, "expiring-90": 1, "expiring-30": 1, "expiring-7": 1, "expired": 1,
                      "revoked": 1, "superseded": 0, "not-yet-valid": 1}


def test_search_and_order(store: Store, banded: dict[str, issuance.Issued]) -> None:
    current = settings.load(store)
    nicu = inventory.list_devices(store, current, now=NOW, search="nicu")
    assert [r.device_id for r in nicu] == ["ZM-004", "ZM-005", "ZM-006", "ZM-007"]
    soonest = inventory.list_devices(store, current, now=NOW, order_by="not_after", limit=2)
    assert [r.device_id for r in soonest] == ["ZM-005", "ZM-004"]
    assert inventory.list_devices(store, current, now=NOW, search="100%") == []


@pytest.mark.parametrize(("seconds_left", "status"), [
    (90 * 86400 + 1, "active"),
    (90 * 86400, "expiring-90"),
    (30 * 86400 + 1, "expiring-90"),
    (30 * 86400, "expiring-30"),
    (7 * 86400 + 1, "expiring-30"),
    (7 * 86400, "expiring-7"),
    (1, "expiring-7"),
    (0, "expired"),
])
def test_band_edges(seconds_left: int, status: str, store: Store, old_ca: ca.UnlockedCa) -> None:
    issued = issuance.issue_device(store, old_ca, "ZM-001", generate="ec-p256", days=365, now=NOW - DAY * 200)
    at = issued.certificate.not_valid_after_utc - timedelta(seconds=seconds_left)
    [row] = inventory.list_devices(store, settings.load(store), now=at)
    assert row.status == status


def test_thresholds_are_settings(store: Store, old_ca: ca.UnlockedCa) -> None:
    issuance.issue_device(store, old_ca, "ZM-001", generate="ec-p256", days=365, now=NOW - DAY * 300)  # 65 left
    settings.set_value(store, "threshold-warn", "60")
    [row] = inventory.list_devices(store, settings.load(store), now=NOW)
    assert row.status == "active"
    assert inventory.crossed_thresholds(store, settings.load(store), now=NOW) == []


def test_device_history_is_newest_first_with_statuses(store: Store, old_ca: ca.UnlockedCa) -> None:
    first = issuance.issue_device(store, old_ca, "ZM-001", generate="ec-p256", now=NOW - DAY * 360)
    second = issuance.issue_device(store, old_ca, "ZM-001", generate="ec-p256", renew=True, now=NOW - DAY * 2)
    summary, history = inventory.device(store, settings.load(store), "ZM-001", now=NOW)
    assert summary.serial == second.serial and summary.status == "active"
    assert [(r.serial, r.status) for r in history] == [(second.serial, "active"), (first.serial, "superseded")]
    assert history[1].superseded_at == NOW - DAY * 2
    assert history[0].key_source == "generated" and history[0].key_type == "ec-p256"
    record = inventory.certificate(store, settings.load(store), first.serial.lower(), now=NOW)
    assert record.serial == first.serial and record.status == "superseded"
    with pytest.raises(NotFoundError):
        inventory.device(store, settings.load(store), "ZM-404", now=NOW)


def test_as_json_fields(store: Store, banded: dict[str, issuance.Issued]) -> None:
    rows = inventory.list_devices(store, settings.load(store), now=NOW)
    for row in rows:
        data = row.as_json()
        assert {"device_id", "serial", "not_before", "not_after", "days_left", "status"} <= set(data)
        for key in ("not_before", "not_after"):
            moment = datetime.fromisoformat(data[key])
            assert moment.utcoffset() == timedelta(0)
        int(data["serial"], 16)


def test_the_daily_check_selects_what_crossed_a_threshold(store: Store, banded: dict[str, issuance.Issued],
                                                          old_ca: ca.UnlockedCa) -> None:
    server = issuance.issue_server(store, old_ca, "telemetry.hospital.example", generate="ec-p256", days=365,
                                   now=NOW - DAY * 350)
    items = inventory.crossed_thresholds(store, settings.load(store), now=NOW)
    assert [(i.kind, i.name, i.status) for i in items] == [
        ("device", "ZM-005", "expired"),
        ("device", "ZM-004", "expiring-7"),
        ("server", "telemetry.hospital.example", "expiring-30"),
        ("device", "ZM-003", "expiring-30"),
        ("device", "ZM-002", "expiring-90"),
    ]
    assert items[2].serial == server.serial and items[2].days_left == 15
    data = items[1].as_json()
    assert data["device_id"] == "ZM-004" and data["days_left"] == 4 and data["status"] == "expiring-7"


@pytest.mark.parametrize(("days_left", "status"), [
    (20, "expiring-30"), (60, "expiring-90"), (5, "expiring-7"), (-3, "expired"),
])
def test_the_daily_check_includes_the_ca_itself(days_left: int, status: str, store: Store, ca_subject: Any) -> None:
    """The CA's status comes from the same SQL expression as every certificate's."""
    ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=3650,
              now=NOW - DAY * (3650 - days_left))
    items = inventory.crossed_thresholds(store, settings.load(store), now=NOW)
    assert [(i.kind, i.status, i.days_left) for i in items] == [("ca", status, days_left)]


def test_the_daily_check_leaves_out_a_ca_far_from_expiry(store: Store, ca_subject: Any) -> None:
    ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384", days=3650, now=NOW - DAY)
    assert inventory.crossed_thresholds(store, settings.load(store), now=NOW) == []


@pytest.mark.sqlite_only  # SQLite's EXPLAIN QUERY PLAN
def test_the_daily_check_is_an_indexed_query(store: Store, banded: dict[str, issuance.Issued]) -> None:
    """The selection searches certificates through an index, not a scan of every row (the query's plan)."""
    with captured(store, lambda s: "FROM certificates" in s and "not_after" in s) as seen:
        inventory.crossed_thresholds(store, settings.load(store), now=NOW)
    [(statement, parameters)] = seen
    plan = " | ".join(steps(store, statement, parameters))
    if is_postgres(store):
        assert "Index Only Scan using ix_certificates_expiry on certificates" in plan, plan
        assert "Seq Scan on certificates" not in plan, plan
    else:
        assert "SEARCH certificates USING COVERING INDEX" in plan, plan
        assert "SCAN certificates" not in plan, plan


def test_weekly_expiry_histogram(store: Store, banded: dict[str, issuance.Issued], home: Path) -> None:
    weeks = inventory.expiries_per_week(store, settings.load(store), now=NOW, weeks=60)
    # Unrevoked, unexpired current certificates by the week they expire in (not-yet-valid ZM-007 included).
    assert {w: n for w, n in enumerate(weeks) if n} == {0: 1, 2: 1, 9: 1, 52: 1, 53: 1}
    with store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM certificates")).scalar() == len(BANDS)
    assert len(storestate.rows(home, "devices")) == len(BANDS)
