"""The audit trail (issue 2 "Audit trail"): every state change and security event is recorded, the hash chain
names a changed, deleted or reordered entry, and the CSV export holds every entry."""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE
from tests.support import storestate
from zmconsole.core import audit, ca, exports, inventory, issuance, revocation, settings
from zmconsole.core.errors import WrongPassphraseError
from zmconsole.core.store import Store


@pytest.fixture
def history(store: Store, unlocked: ca.UnlockedCa) -> Store:
    """A store whose log has one entry of each kind of event."""
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", hold_key=True)
    issuance.issue_device(store, unlocked, "ZM-002", generate="ec-p256")
    record = inventory.current_certificate(store, settings.load(store), "ZM-001")
    exports.export_pkcs12(store, unlocked, record, password="a long password")
    exports.export_certificate(store, record, "pem")
    revocation.revoke(store, "ZM-002", "decommissioned")
    revocation.generate_crl(store, unlocked)
    settings.set_value(store, "crl-url", "http://pki.hospital.example/zm.crl")
    with pytest.raises(WrongPassphraseError):
        ca.unlock(store, "not the passphrase")
    return store


def test_every_state_change_and_security_event_is_recorded(history: Store, home: Path) -> None:
    assert storestate.audit_actions(home) == [
        "ca.created", "cert.issued", "cert.issued", "key.exported", "cert.exported", "cert.revoked",
        "crl.generated", "settings.changed", "ca.passphrase_wrong",
    ]
    newest = audit.entries(history, limit=3)
    assert [e.action for e in newest] == ["ca.passphrase_wrong", "settings.changed", "crl.generated"]
    for entry in audit.entries(history):
        moment = datetime.fromisoformat(entry.at)
        assert moment.utcoffset() == timedelta(0)
        assert entry.os_user and entry.subject
    revoked = audit.entries(history, action_prefix="cert.revoked")[0]
    assert revoked.subject == "ZM-002"
    assert revoked.details["reason"] == "decommissioned" and revoked.details["rfc5280"] == "cessation_of_operation"
    assert audit.entries(history, subject="ZM-001", newest_first=False)[0].action == "cert.issued"
    assert audit.count(history) == 9
    # No secret ever reaches the log.
    for entry in audit.entries(history):
        assert PASSPHRASE not in repr(entry) and "not the passphrase" not in repr(entry)
        assert "a long password" not in repr(entry)


def test_an_intact_log_verifies(history: Store) -> None:
    report = audit.verify(history)
    assert report.ok and report.problems == []
    assert report.entries == 9
    assert report.head == audit.entries(history, limit=1)[0].hash


def problems(store: Store) -> list[str]:
    report = audit.verify(store)
    assert not report.ok
    return report.problems


def test_a_changed_entry_is_named(history: Store, home: Path) -> None:
    storestate.tamper(home, """UPDATE audit_log SET details = '{"reason":"lost","serials":[]}' WHERE seq = 6""")
    found = problems(history)
    assert found == [f"entry 6 ({audit.entries(history, limit=4)[3].at}, cert.revoked ZM-002) was changed after "
                     "it was written"]


@pytest.mark.parametrize("column", ["at", "os_user", "action", "subject"])
def test_any_changed_field_is_detected(history: Store, home: Path, column: str) -> None:
    storestate.tamper(home, f"UPDATE audit_log SET {column} = {column} || 'x' WHERE seq = 3")  # noqa: S608
    assert any(p.startswith("entry 3 ") and "was changed" in p for p in problems(history))


def test_a_deleted_middle_entry_is_named(history: Store, home: Path) -> None:
    storestate.tamper(home, "DELETE FROM audit_log WHERE seq = 4")
    assert "entry 4 deleted: the log jumps to entry 5" in problems(history)


def test_deleted_entries_in_a_row_are_named(history: Store, home: Path) -> None:
    storestate.tamper(home, "DELETE FROM audit_log WHERE seq IN (3, 4, 5)")
    assert "entries 3-5 deleted: the log jumps to entry 6" in problems(history)


def test_swapped_entries_are_named(history: Store, home: Path) -> None:
    storestate.tamper(home, "UPDATE audit_log SET seq = -1 WHERE seq = 4",
                      "UPDATE audit_log SET seq = 4 WHERE seq = 5", "UPDATE audit_log SET seq = 5 WHERE seq = -1")
    found = problems(history)
    assert any(p.startswith("entry 4 ") and "does not follow entry 3" in p for p in found), found
    assert any(p.startswith("entry 5 ") for p in found), found


def test_deleting_the_newest_entry_is_detected(history: Store, home: Path) -> None:
    storestate.tamper(home, "DELETE FROM audit_log WHERE seq = 9")
    found = problems(history)
    assert found[0] == "entries 9-9 deleted from the end of the log"
    assert all("deleted" in p for p in found)  # the signed checkpoint and the head record also cover entry 9


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link(history: Store, home: Path) -> None:
    """Recomputing the changed entry's own hash is not enough: the next entry still points at the old one."""
    [row] = storestate.rows(home, "audit_log", order_by="seq")[4:5]
    forged_details = '{"format":"der","serial":"00"}'
    record = [row["seq"], row["at"], row["os_user"], row["action"], row["subject"], forged_details, row["prev_hash"]]
    forged = hashlib.sha256(audit.canonical(record).encode()).hexdigest()
    assert audit.verify(history).ok  # (the forgery below is what the chain is for)
    storestate.tamper(home, f"UPDATE audit_log SET details = '{forged_details}', hash = '{forged}' WHERE seq = 5")  # noqa: S608
    found = problems(history)
    assert any(p.startswith("entry 6 ") and "does not follow entry 5" in p for p in found), found


def test_export_writes_every_entry_as_csv_and_is_audited(history: Store, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    assert audit.export_csv(history, out) == 9
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["seq", "time_utc", "os_user", "action", "subject", "details", "prev_hash", "hash", "operator"]
    stored = storestate.rows(home, "audit_log", order_by="seq")
    assert [r[0] for r in rows[1:]] == [str(s["seq"]) for s in stored[:9]]
    assert [r[3] for r in rows[1:]] == [s["action"] for s in stored[:9]]
    assert [r[7] for r in rows[1:]] == [s["hash"] for s in stored[:9]]
    assert storestate.audit_actions(home)[-1] == "audit.exported"
    assert audit.verify(history).ok


def test_append_is_part_of_the_callers_transaction(store: Store, home: Path) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        audit.append(conn, "test.event", "nobody")
        raise RuntimeError("the operation failed after its audit entry")
    assert storestate.audit_actions(home) == []
