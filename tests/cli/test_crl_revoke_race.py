"""Revocations and CRLs from many processes at once (issue 8 item 7): every CRL lists every revocation that was
committed before its number was allocated, and thisUpdate never goes backwards in CRL-number order.

The audit log gives the order: each revocation and each CRL number is allocated in a write transaction that
appends its audit entry, so an entry's sequence number is its place in the commit order."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cryptography import x509

from tests.support import cli, storestate
from zmconsole.core import ca, issuance
from zmconsole.core.store import Store

DEVICES = 10


def test_every_crl_lists_every_earlier_revocation(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                                   tmp_path: Path) -> None:
    for n in range(DEVICES):
        issuance.issue_device(ca_store, ca_unlocked, f"ZM-{n:03d}", generate="ec-p256")
    ca_store.dispose()
    commands = [["device", "revoke", f"ZM-{n:03d}", "--reason", "lost"] + (["--no-crl"] if n % 3 == 0 else [])
                for n in range(DEVICES)]
    commands += [["crl", "generate", "--out", str(tmp_path / f"crl-{n}.pem")] for n in range(4)]
    processes = [subprocess.Popen(cli.command(ca_home, args), env=cli.environment(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL) for args in commands]
    for process in processes:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr

    crls = {row["number"]: x509.load_der_x509_crl(row["der"]) for row in storestate.rows(ca_home, "crls")}
    log = sorted(storestate.rows(ca_home, "audit_log"), key=lambda r: r["seq"])
    revoked_so_far: set[int] = set()
    checked = 0
    for entry in log:
        details = json.loads(entry["details"])
        if entry["action"] == "cert.revoked":
            revoked_so_far.update(int(serial, 16) for serial in details["serials"])
        elif entry["action"] == "crl.generated":
            listed = {revoked.serial_number for revoked in crls[details["number"]]}
            missing = revoked_so_far - listed
            assert not missing, f"CRL #{details['number']} omits {len(missing)} earlier revocation(s)"
            checked += 1
    assert checked == len(crls) == 4 + sum(1 for n in range(DEVICES) if n % 3)
    assert len(revoked_so_far) == DEVICES
    updates = [crls[number].last_update_utc for number in sorted(crls)]
    assert updates == sorted(updates)
    assert "intact" in cli.ok(ca_home, "audit", "verify").stdout
