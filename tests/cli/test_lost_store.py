"""A lost or damaged store is never mistaken for a new one (issue 8 item 3): a zero-length ``zmconsole.db``
next to the CA key files is refused by every command, ``ca init`` never overwrites a key file, and ``audit
verify`` on a store with damaged pages says so instead of "intact"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import CA_INIT
from tests.support import cli, storestate
from zmconsole.core import ca

DB = storestate.DB_FILENAME


def _files(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}


def _truncate(home: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{home / DB}{suffix}").unlink(missing_ok=True)
    (home / DB).write_bytes(b"")


@pytest.mark.sqlite_only  # the database file emptied or deleted: PostgreSQL keeps no file in the data directory
@pytest.mark.parametrize("args", [("device", "list"), ("audit", "verify"), CA_INIT, ("ca", "show")])
def test_a_zero_length_store_beside_the_ca_key_is_not_a_new_store(ca_home: Path, args: tuple[str, ...]) -> None:
    _truncate(ca_home)
    before = _files(ca_home)
    result = cli.run(ca_home, *args)
    line = cli.assert_clean_error(result, "empty (0 bytes)", "not a new store", "backup")
    assert "private/ca.key.pem" in line
    assert "intact" not in result.stdout and "0 device(s)" not in result.stderr
    assert _files(ca_home) == before  # the old key is untouched and no store was created


@pytest.mark.sqlite_only
def test_a_missing_store_beside_the_ca_key_is_not_a_new_store(ca_home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{ca_home / DB}{suffix}").unlink(missing_ok=True)
    key = (ca_home / ca.CA_KEY_FILE).read_bytes()
    cli.assert_clean_error(cli.run(ca_home, *CA_INIT), "is missing", "not a new store")
    assert not (ca_home / DB).exists()
    assert (ca_home / ca.CA_KEY_FILE).read_bytes() == key


def test_ca_init_never_overwrites_a_key_file(tmp_path: Path) -> None:
    """A store without a CA, but a key file left in private/: ca init refuses before asking for anything."""
    home = tmp_path / "home"
    cli.ok(home, "config", "set", "device-days", "200")  # a real, non-empty store with no CA
    planted = home / ca.CA_KEY_FILE
    planted.write_bytes(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nthe only copy\n")
    before = storestate.snapshot(home)
    cli.assert_clean_error(cli.run(home, *CA_INIT), "ca.key.pem", "already exists", "never overwritten")
    assert planted.read_bytes().endswith(b"the only copy\n")
    assert storestate.snapshot(home) == before
    assert not (home / ca.CA_CERT_FILE).exists()


@pytest.mark.sqlite_only  # SQLite's pages overwritten in the file; PostgreSQL guards its own pages
def test_audit_verify_on_a_store_with_damaged_pages_says_so(ca_home: Path, tmp_path: Path) -> None:
    for n in range(2):
        cli.ok(ca_home, "device", "issue", f"ZM-{n:03d}", "--generate-key", "--key", "ec-p256",
               "--out", tmp_path / "out")
    assert "intact" in cli.ok(ca_home, "audit", "verify").stdout
    with storestate.connect(ca_home) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'certificates'").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray((ca_home / DB).read_bytes())
    start = (root - 1) * page_size  # the certificates table's root page: the audit walk never reads it
    data[start + 8:start + 40] = b"\xff" * 32
    (ca_home / DB).write_bytes(bytes(data))
    result = cli.run(ca_home, "audit", "verify")
    assert result.returncode != 0, str(result)
    assert "intact" not in result.stdout + result.stderr
    assert "damaged" in result.stderr and "backup" in result.stderr, str(result)
    assert "Traceback" not in result.stdout + result.stderr
