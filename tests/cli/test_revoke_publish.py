"""`device revoke` and `crl generate` publish the new CRL to crl-publish-dir, as PEM and DER (issue 7 item 3)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import cli, referees, storestate
from zmconsole.core import ca, issuance, revocation
from zmconsole.core.store import Store


def test_revoke_publishes_the_new_crl_as_pem_and_der(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                                      tmp_path: Path) -> None:
    issued = issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    www = tmp_path / "www"
    cli.ok(ca_home, "config", "set", "crl-publish-dir", str(www))
    result = cli.ok(ca_home, "device", "revoke", "ZM-001", "--reason", "lost")
    assert "CRL #1 regenerated with 1 entries." in result.stdout
    assert str(www / "crl.pem") in result.stderr and str(www / "crl.der") in result.stderr
    for name, der in (("crl.pem", False), ("crl.der", True)):
        text = referees.crl_text(www / name, der=der)
        assert re.search(rf"Serial Number: 0*{issued.serial}\b", text, re.IGNORECASE), text
        assert "Key Compromise" in text and re.search(r"CRL Number: *\n *1\n", text), text
    latest = revocation.latest_crl(ca_store)
    assert latest is not None and (www / "crl.der").read_bytes() == latest.der
    assert storestate.audit_actions(ca_home)[-2:] == ["crl.generated", "crl.published"]


def test_crl_generate_publishes_too(ca_home: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    cli.ok(ca_home, "config", "set", "crl-publish-dir", str(www))
    cli.ok(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem")
    assert re.search(r"CRL Number: *\n *1\n", referees.crl_text(www / "crl.der", der=True))
    assert (www / "crl.pem").read_bytes() == (tmp_path / "crl.pem").read_bytes()


def test_without_a_publish_folder_nothing_is_written(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                                     tmp_path: Path) -> None:
    issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    result = cli.ok(ca_home, "device", "revoke", "ZM-001", "--reason", "decommissioned")
    assert "CRL #1 regenerated" in result.stdout and "Published" not in result.stderr
    assert "crl.published" not in storestate.audit_actions(ca_home)


def test_a_publish_failure_is_a_failure_and_says_what_was_done(ca_home: Path, ca_store: Store,
                                                               ca_unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cli.ok(ca_home, "config", "set", "crl-publish-dir", str(blocker))
    result = cli.run(ca_home, "device", "revoke", "ZM-001", "--reason", "lost")
    cli.assert_clean_error(result, "signed and stored but not published", "crl-publish-dir", code=1)
    assert "Revoked ZM-001 (lost)" in result.stdout and "CRL #1 regenerated" in result.stdout
    assert [r["revoked_at"] is not None for r in storestate.rows(ca_home, "certificates")] == [True]
