"""Several processes writing one PostgreSQL store at once (issue 11): 3 processes each issuing 50 certificates
while others revoke and sign CRLs. The advisory write lock (core/store.py) must keep every serial, CRL number
and audit entry unique and the chain unbroken; no process may fail. Runs whenever PostgreSQL is installed,
whichever store the rest of the run uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import CA_INIT
from tests.conftest import PASSPHRASE
from tests.support import cli, postgres

ISSUERS, EACH, REVOKED, CRLS = 3, 50, 10, 4

_ISSUER = """
import sys
from pathlib import Path
from zmconsole.core import ca, issuance
from zmconsole.core.store import Store
store = Store.open(Path(sys.argv[1]))
unlocked = ca.unlock(store, sys.argv[2])
for n in range(int(sys.argv[4])):
    issuance.issue_device(store, unlocked, f"{sys.argv[3]}{n:03d}", generate="ec-p256")
store.dispose()
"""


@pytest.mark.slow
def test_three_issuers_revokes_and_crls_at_once(postgres_server: postgres.PostgresServer, tmp_path: Path) -> None:
    env = {"ZMCONSOLE_DATABASE_URL": postgres_server.create_database()}
    home = tmp_path / "home"
    cli.ok(home, *CA_INIT, env=env)
    for n in range(REVOKED):
        cli.ok(home, "device", "issue", f"ZM-9{n:02d}", "--generate-key", "--out", str(tmp_path / f"r{n}"),
               "--key-password-file", str(_password(tmp_path)), env=env)
    issuers = [subprocess.Popen([sys.executable, "-c", _ISSUER, str(home), PASSPHRASE, f"ZM-{p + 1}", str(EACH)],
                                env=cli.environment(None, env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for p in range(ISSUERS)]
    others = [["device", "revoke", f"ZM-9{n:02d}", "--reason", "lost"] + (["--no-crl"] if n % 2 else [])
              for n in range(REVOKED)]
    others += [["crl", "generate", "--out", str(tmp_path / f"crl-{n}.pem")] for n in range(CRLS)]
    processes = issuers + [subprocess.Popen(cli.command(home, args), env=cli.environment(extra=env),
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                            stdin=subprocess.DEVNULL) for args in others]
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr

    import psycopg

    with psycopg.connect(env["ZMCONSOLE_DATABASE_URL"].replace("+psycopg", "")) as conn:
        serials = [row[0] for row in conn.execute("SELECT serial FROM certificates WHERE kind = 'device'")]
        numbers = [row[0] for row in conn.execute("SELECT number FROM crls ORDER BY number")]
        seqs = [row[0] for row in conn.execute("SELECT seq FROM audit_log ORDER BY seq")]
        revoked = conn.execute("SELECT count(*) FROM certificates WHERE revoked_at IS NOT NULL").fetchone()
    assert len(serials) == len(set(serials)) == REVOKED + ISSUERS * EACH
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) == CRLS + REVOKED // 2
    assert seqs == list(range(1, len(seqs) + 1))
    assert revoked is not None and revoked[0] == REVOKED
    assert "intact" in cli.ok(home, "audit", "verify", env=env).stdout
    assert "passes every check" in cli.ok(home, "store", "check", env=env).stdout


def _password(tmp_path: Path) -> Path:
    path = tmp_path / "keypw"
    path.write_text("key password for the tests\n")
    return path
