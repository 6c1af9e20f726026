"""The demo store: every state present, a chain that verifies, and all of it through the core API."""

from __future__ import annotations

from datetime import UTC, datetime

from zmconsole.core import audit, ca, demo, inventory, revocation, settings
from zmconsole.core.store import Store

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_fill_covers_every_state(store: Store) -> None:
    unlocked = demo.fill(store, devices=40, now=NOW)
    assert unlocked is not None
    current = settings.load(store)
    counts = inventory.status_counts(store, current, now=NOW)
    for status in ("active", "expiring-90", "expiring-30", "expiring-7", "expired", "revoked", "not-yet-valid"):
        assert counts[status] > 0, status
    assert sum(counts.values()) == 40
    renewed = [d for d in inventory.list_devices(store, current, now=NOW)
               if any(r.status == "superseded" for r in inventory.device(store, current, d.device_id, now=NOW)[1])]
    assert renewed, "a renewed device keeps its superseded predecessor in its history"
    assert any(item.kind == "server" for item in inventory.crossed_thresholds(store, current, now=NOW))
    crl = revocation.latest_crl(store)
    assert crl is not None and crl.number == 2 and crl.entries >= counts["revoked"]
    assert audit.verify(store).ok
    # The demo passphrase really opens the CA it made.
    assert ca.unlock(store, demo.DEMO_PASSPHRASE).info.fingerprint == unlocked.info.fingerprint


def test_fill_reports_progress_and_can_be_cancelled(store: Store) -> None:
    seen: list[tuple[int, int]] = []
    result = demo.fill(store, devices=10, now=NOW, progress=lambda done, total, _text: seen.append((done, total)),
                       cancelled=lambda: len(seen) >= 3)
    assert result is None
    assert [done for done, _ in seen] == [1, 2, 3]
    assert len(inventory.list_devices(store, settings.load(store), now=NOW)) <= 3
