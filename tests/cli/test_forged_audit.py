"""A forger who can write the database (issue 8 item 6): un-revokes a device, deletes its revocation and CRL
rows, recomputes the whole hash chain and its stored head. The signed checkpoint, the external head record and
``--expect-head`` each catch it, and no CRL is signed that would un-revoke the device or restart the
numbering."""

from __future__ import annotations

import hashlib
import json
from contextlib import closing
from pathlib import Path

import pytest

from tests.support import cli, storestate
from zmconsole.core import ca, checkpoints, issuance, revocation
from zmconsole.core.store import Store

GENESIS = "0" * 64


def _chain_hash(seq: int, at: str, user: str, action: str, subject: str, details: str, prev: str) -> str:
    """The chain's formula, as a forger reads it from the source."""
    record = json.dumps([seq, at, user, action, subject, details, prev], sort_keys=True, separators=(",", ":"),
                        ensure_ascii=False)
    return hashlib.sha256(record.encode()).hexdigest()


def forge(home: Path, device_id: str) -> None:
    """Un-revoke ``device_id``, delete its revocation and every CRL, and recompute the chain and its head."""
    with closing(storestate.connect(home)) as conn, conn:
        conn.execute("UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL WHERE device_id = ?",
                     (device_id,))
        conn.execute("DELETE FROM crls")
        conn.execute("DELETE FROM audit_log WHERE action IN ('cert.revoked', 'crl.generated', 'crl.published')")
        rows = conn.execute("SELECT seq, at, os_user, action, subject, details FROM audit_log ORDER BY seq").fetchall()
        conn.execute("DELETE FROM audit_log")
        prev = GENESIS
        for seq, (_, at, user, action, subject, details) in enumerate(rows, start=1):
            digest = _chain_hash(seq, at, user, action, subject, details, prev)
            conn.execute("INSERT INTO audit_log (seq, at, os_user, action, subject, details, prev_hash, hash) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (seq, at, user, action, subject, details, prev, digest))
            prev = digest
        conn.execute("UPDATE settings SET value = ? WHERE key = 'audit_head'", (json.dumps([len(rows), prev]),))


@pytest.fixture
def revoked_home(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa) -> Path:
    """ZM-001 revoked and on CRL #1, ZM-002 active; written by a process that held the CA key."""
    for device in ("ZM-001", "ZM-002"):
        issuance.issue_device(ca_store, ca_unlocked, device, generate="ec-p256")
    revocation.revoke(ca_store, "ZM-001", "lost")
    revocation.generate_crl(ca_store, ca_unlocked)
    ca_store.dispose()
    return ca_home


def test_the_untouched_log_verifies_with_its_checkpoint(revoked_home: Path) -> None:
    out = cli.ok(revoked_home, "audit", "verify").stdout
    assert "intact" in out and "Signed checkpoint: entry" in out and "CRL #1" in out
    assert "UNSIGNED" not in out
    cli.ok(revoked_home, "config", "set", "device-days", "200")  # a write without the CA key
    out = cli.ok(revoked_home, "audit", "verify").stdout
    assert "UNSIGNED: 1 entry" in out and "settings.changed" in out


def test_a_recomputed_chain_is_caught_by_the_signed_checkpoint(revoked_home: Path, tmp_path: Path) -> None:
    head = cli.ok(revoked_home, "audit", "verify").stdout.split("head ")[1].split()[0]
    forge(revoked_home, "ZM-001")
    result = cli.run(revoked_home, "audit", "verify")
    assert result.returncode == 2, str(result)
    assert "TAMPERED" in result.stdout and "the signed checkpoint" in result.stdout
    assert "intact" not in result.stdout
    # The next CRL would restart at #1 without ZM-001: refused, and nothing is signed or stored.
    before = storestate.snapshot(revoked_home)
    refused = cli.run(revoked_home, "crl", "generate", "--out", tmp_path / "crl.pem")
    cli.assert_clean_error(refused, "store was changed", "CRL #1", code=2)
    assert storestate.snapshot(revoked_home) == before
    assert not (tmp_path / "crl.pem").exists()
    # With the head copied before the forgery, --expect-head catches it too.
    expected = cli.run(revoked_home, "audit", "verify", "--expect-head", head)
    assert expected.returncode == 2 and "expected head" in expected.stdout


def test_removing_the_checkpoint_too_is_caught_by_the_external_record(revoked_home: Path) -> None:
    forge(revoked_home, "ZM-001")
    with closing(storestate.connect(revoked_home)) as conn, conn:
        conn.execute("DELETE FROM audit_checkpoints")
    result = cli.run(revoked_home, "audit", "verify")
    assert result.returncode == 2, str(result)
    assert f"the external record {checkpoints.RECORD_FILE}" in result.stdout


def test_with_every_witness_in_the_store_removed_expect_head_still_catches_it(revoked_home: Path) -> None:
    head = cli.ok(revoked_home, "audit", "verify").stdout.split("head ")[1].split()[0]
    forge(revoked_home, "ZM-001")
    with closing(storestate.connect(revoked_home)) as conn, conn:
        conn.execute("DELETE FROM audit_checkpoints")
    (revoked_home / checkpoints.RECORD_FILE).unlink()
    plain = cli.ok(revoked_home, "audit", "verify").stdout
    assert "No signed checkpoint" in plain and "UNSIGNED" in plain  # said, even though the chain is whole
    expected = cli.run(revoked_home, "audit", "verify", "--expect-head", head)
    assert expected.returncode == 2 and "TAMPERED: the expected head" in expected.stdout


def test_a_crl_that_would_drop_a_revocation_is_refused(revoked_home: Path, tmp_path: Path) -> None:
    with closing(storestate.connect(revoked_home)) as conn, conn:
        conn.execute("UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL "
                     "WHERE device_id = 'ZM-001'")
    before, actions = storestate.snapshot(revoked_home), storestate.audit_actions(revoked_home)
    refused = cli.run(revoked_home, "crl", "generate", "--out", tmp_path / "crl.pem")
    line = cli.assert_clean_error(refused, "store was changed", "CRL #1 lists serial", "not expired", code=2)
    serial = storestate.rows(revoked_home, "certificates", order_by="id")[0]["serial"]
    assert serial in line
    assert storestate.snapshot(revoked_home) == before
    assert storestate.audit_actions(revoked_home) == actions


@pytest.mark.parametrize(("setting", "added"), [("none", False), ("file", True), ("syslog", False),
                                               ("file,syslog", True)])
def test_the_head_record_goes_where_configured(ca_home: Path, tmp_path: Path, setting: str, added: bool) -> None:
    record = ca_home / checkpoints.RECORD_FILE
    lines = record.read_text().splitlines()  # ca init wrote the first
    cli.ok(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "out",
           env={checkpoints.RECORD_ENV: setting})
    now = record.read_text().splitlines()
    assert (len(now) > len(lines)) == added  # a line per signed write transaction
    if added:
        last = json.loads(now[-1])
        assert cli.ok(ca_home, "audit", "verify", "--expect-head", last["head"]).returncode == 0
        assert last["seq"] == len(storestate.audit_actions(ca_home))
