"""``zmconsole audit verify`` and ``audit export`` (issue 2 "Audit trail", "Acceptance"): tampering done
directly in the database (sqlite3 or psycopg, tests/support/storestate) is reported, naming the entry, with a
non-zero exit."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support import cli, storestate
from zmconsole.core import ca, issuance, revocation
from zmconsole.core.store import Store


@pytest.fixture
def logged(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa) -> Path:
    """A data directory whose log has six entries: CA created, three issued, one revoked, one CRL."""
    for device_id in ("ZM-001", "ZM-002", "ZM-003"):
        issuance.issue_device(ca_store, ca_unlocked, device_id, generate="ec-p256")
    revocation.revoke(ca_store, "ZM-002", "lost")
    revocation.generate_crl(ca_store, ca_unlocked)
    ca_store.dispose()
    assert len(storestate.audit_actions(ca_home)) == 6
    return ca_home


def verify_fails(home: Path, *expected: str) -> cli.Result:
    result = cli.run(home, "audit", "verify", passphrase=None)
    cli.assert_clean_error(result, "fails its integrity check", "compare it with your backups", code=2)
    reported = [line for line in result.stdout.splitlines() if line.startswith("TAMPERED: ")]
    for words in expected:
        assert any(words in line for line in reported), (words, result.stdout)
    return result


def test_an_intact_log_verifies(logged: Path) -> None:
    result = cli.ok(logged, "audit", "verify", passphrase=None)
    assert result.stdout.startswith("Audit log intact: 6 entries; head ")
    head = storestate.rows(logged, "audit_log", order_by="seq")[-1]["hash"]
    assert head in result.stdout


def test_a_changed_row_is_named(logged: Path) -> None:
    storestate.tamper(logged, """UPDATE audit_log SET details = '{"reason":"decommissioned"}' WHERE seq = 5""")
    verify_fails(logged, "entry 5 (", "cert.revoked ZM-002) was changed after it was written")


def test_a_deleted_middle_row_is_named(logged: Path) -> None:
    storestate.tamper(logged, "DELETE FROM audit_log WHERE seq = 3")
    verify_fails(logged, "entry 3 deleted: the log jumps to entry 4")


def test_swapped_rows_are_named(logged: Path) -> None:
    storestate.tamper(logged, "UPDATE audit_log SET seq = -1 WHERE seq = 2",
                      "UPDATE audit_log SET seq = 2 WHERE seq = 3", "UPDATE audit_log SET seq = 3 WHERE seq = -1")
    verify_fails(logged, "entry 2 (", "does not follow entry 1")


def test_a_deleted_last_row_is_named(logged: Path) -> None:
    storestate.tamper(logged, "DELETE FROM audit_log WHERE seq = 6")
    verify_fails(logged, "entries 6-6 deleted from the end of the log")


def test_export_writes_a_header_and_every_entry(logged: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    result = cli.ok(logged, "audit", "export", "--out", out, passphrase=None)
    assert result.stdout.strip() == f"Wrote 6 audit entries to {out}"
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["seq", "time_utc", "os_user", "action", "subject", "details", "prev_hash", "hash",
                             "operator"]
    stored = storestate.rows(logged, "audit_log", order_by="seq")
    assert [(r["seq"], r["action"], r["subject"], r["hash"]) for r in rows] == [
        (str(s["seq"]), s["action"], s["subject"], s["hash"]) for s in stored[:6]]
    assert stored[-1]["action"] == "audit.exported"
    assert cli.ok(logged, "audit", "verify", passphrase=None).stdout.startswith("Audit log intact: 7 entries")
