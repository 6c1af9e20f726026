"""Ten ``zmconsole ca init`` at the same time on one data directory: exactly one succeeds (issue 8 item 4).

The check for an existing CA runs inside the write transaction, so the others are refused with a clear message
and the one CA in the store is the one whose key file is on disk."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cli.conftest import CA_INIT
from tests.support import cli, storestate
from zmconsole.core import ca


def test_ten_concurrent_ca_init_make_exactly_one_ca(tmp_path: Path) -> None:
    home = tmp_path / "home"
    cli.ok(home, "config", "set", "device-days", "200")  # the store exists; only the CA is raced for
    processes = [subprocess.Popen(cli.command(home, CA_INIT), env=cli.environment(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL) for _ in range(10)]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        results.append(cli.Result(CA_INIT, process.returncode, stdout, stderr))
    winners = [r for r in results if r.returncode == 0]
    assert len(winners) == 1, "\n".join(map(str, results))
    for loser in results:
        if loser is not winners[0]:  # refused with the one-line message, after the "Generating..." note
            assert loser.returncode == 1 and "Traceback" not in loser.stderr, str(loser)
            last = loser.stderr.strip().splitlines()[-1]
            assert last.startswith("zmconsole: ") and "already exist" in last, str(loser)
    cas = storestate.rows(home, "cas")
    assert len(cas) == 1 and cas[0]["active"] == 1
    assert cas[0]["fingerprint"] in winners[0].stdout
    assert (home / ca.CA_KEY_FILE).read_bytes() == cas[0]["key_pem"]
    assert storestate.audit_actions(home).count("ca.created") == 1
    assert "intact" in cli.ok(home, "audit", "verify").stdout
