"""``zmconsole store``: backup, restore and check round trip (with a writer during the backup), upgrade, and
the refusals: a non-empty target, a damaged backup, a store newer than the code."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli.conftest import CA_INIT
from tests.support import cli, postgres
from zmconsole.core.store import SCHEMA_HEAD, Store


def _new_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment for a second, empty store: a new home, and on PostgreSQL a new database."""
    if not postgres.wanted():
        return {}
    server: postgres.PostgresServer = request.getfixturevalue("postgres_server")
    return {"ZMCONSOLE_DATABASE_URL": server.create_database()}


def _issue(home: Path, device: str) -> cli.Result:
    return cli.run(home, "device", "issue", device, "--generate-key", "--out", str(home.parent / f"{device}-out"),
                   "--key-password-file", str(home.parent / "keypw"))


def test_backup_restore_check_round_trip_with_a_writer_during_the_backup(
        tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (tmp_path / "keypw").write_text("key password for the tests\n")
    cli.ok(home, *CA_INIT)
    for n in range(3):
        assert _issue(home, f"ZM-{n:03}").returncode == 0
    cli.ok(home, "device", "revoke", "ZM-000", "--reason", "compromised")
    cli.ok(home, "crl", "generate", "--out", str(tmp_path / "before.crl"))
    results: list[int] = []

    def writer() -> None:
        for n in range(10, 16):
            results.append(_issue(home, f"ZM-{n:03}").returncode)

    thread = threading.Thread(target=writer)
    thread.start()
    backups = []
    for n in range(3):
        out = tmp_path / f"backup-{n}.jsonl"
        cli.ok(home, "store", "backup", "--out", str(out))
        backups.append(out)
    thread.join()
    assert results == [0] * 6
    backup = backups[-1]
    assert backup.stat().st_mode & 0o077 == 0
    # No private key in plaintext: neither as text nor inside any base64 cell.
    raw = backup.read_bytes()
    cells = [base64.b64decode(cell) for cell in _b64_cells(raw)]
    for blob in [raw, *cells]:
        assert b"-----BEGIN PRIVATE KEY" not in blob and b"-----BEGIN EC PRIVATE KEY" not in blob
    assert any(b"ENCRYPTED PRIVATE KEY" in blob for blob in cells)

    target = tmp_path / "restored"
    env = _new_database(request, monkeypatch)
    result = cli.run(target, "store", "restore", str(backup), env=env)
    assert result.returncode == 0, result
    audited = cli.run(target, "audit", "verify", env=env)
    assert audited.returncode == 0, audited
    checked = cli.run(target, "store", "check", env=env)
    assert checked.returncode == 0 and "passes every check" in checked.stdout, checked
    assert "CA key opens" in checked.stdout
    # Restoring again into the now non-empty store is refused, and changes nothing.
    again = cli.run(target, "store", "restore", str(backup), env=env)
    assert again.returncode != 0 and "not empty" in again.stderr, again
    # The CRL number continues, and a new certificate takes a new serial.
    cli.ok(target, "crl", "generate", "--out", str(tmp_path / "after.crl"), env=env)
    numbers = [_crl_number(tmp_path / name) for name in ("before.crl", "after.crl")]
    assert numbers[1] > numbers[0]
    restored = set(_serials(target, env))
    (target.parent / "keypw").write_text("key password for the tests\n")
    assert cli.run(target, "device", "issue", "ZM-900", "--generate-key", "--out", str(tmp_path / "ZM-900"),
                   "--key-password-file", str(tmp_path / "keypw"), env=env).returncode == 0
    new_serials = set(_serials(target, env))
    assert restored < new_serials and len(new_serials - restored) == 1
    assert not (new_serials - restored) & set(_serials(home, {}))
    assert cli.run(target, "audit", "verify", env=env).returncode == 0


def _b64_cells(raw: bytes) -> list[str]:
    found = []
    for line in raw.decode().splitlines():
        record = json.loads(line)
        for value in record.get("r", {}).values():
            if isinstance(value, dict) and "$b64" in value:
                found.append(value["$b64"])
    return found


def _crl_number(path: Path) -> int:
    from cryptography import x509

    data = path.read_bytes()
    crl = x509.load_pem_x509_crl(data) if data.startswith(b"-----") else x509.load_der_x509_crl(data)
    return int(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)


def _serials(home: Path, env: dict[str, str]) -> list[str]:
    script = ("import sys; from pathlib import Path; from zmconsole.core.store import Store; "
              "from sqlalchemy import text; s = Store.open(Path(sys.argv[1])); c = s.engine.connect(); "
              "print('\\n'.join(r[0] for r in c.execute(text('SELECT serial FROM certificates'))))")
    out = subprocess.run([sys.executable, "-c", script, str(home)], capture_output=True, text=True, check=True,
                         env=cli.environment(None, env))
    return out.stdout.split()


def test_a_damaged_backup_is_refused_and_restores_nothing(ca_home: Path, tmp_path: Path,
                                                          request: pytest.FixtureRequest,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    backup = tmp_path / "b.jsonl"
    cli.ok(ca_home, "store", "backup", "--out", str(backup))
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"\n".join(backup.read_bytes().splitlines()[:-1]) + b"\n")
    env = _new_database(request, monkeypatch)
    result = cli.run(tmp_path / "target", "store", "restore", str(cut), env=env)
    assert result.returncode != 0 and "incomplete" in result.stderr, result
    assert cli.run(tmp_path / "target", "ca", "show", env=env).returncode != 0  # still no CA there


def test_upgrade_and_a_store_newer_than_the_code(ca_home: Path) -> None:
    result = cli.ok(ca_home, "store", "upgrade")
    assert f"already at schema {SCHEMA_HEAD}" in result.stdout
    store = Store.open(ca_home)
    try:
        with store.write() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        store.dispose()
    refused = cli.run(ca_home, "device", "list")
    assert refused.returncode != 0
    assert "newer than this zmconsole" in refused.stderr and "Install zmconsole" in refused.stderr, refused
    assert "or newer" in refused.stderr


def test_an_unreachable_database_server_is_named_without_its_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    import socket

    with socket.socket() as probe:  # a port nothing listens on: the server is stopped
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://zm:s3cret-pw@127.0.0.1:{port}/zmstore"
    result = cli.run(tmp_path / "home", "device", "list", env={"ZMCONSOLE_DATABASE_URL": url})
    assert result.returncode != 0
    assert f"postgresql://127.0.0.1:{port}/zmstore" in result.stderr, result
    assert "cannot be reached" in result.stderr and "PostgreSQL is running" in result.stderr
    assert "s3cret-pw" not in result.stderr and "check the disk" not in result.stderr


def test_column_limits_are_enforced_at_input_on_either_store(ca_home: Path, tmp_path: Path) -> None:
    """A 247-character location was kept by SQLite and refused by PostgreSQL's varchar(200) as a disk problem."""
    from tests.support import storestate

    before = storestate.snapshot(ca_home)
    result = cli.run(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256",
                     "--location", "L" * 247, "--out", tmp_path / "out")
    cli.assert_clean_error(result, "at most 128")
    assert "check the disk" not in result.stderr
    assert storestate.snapshot(ca_home) == before
    cli.ok(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--location", "L" * 128,
           "--out", tmp_path / "out")


def test_store_check_names_a_row_that_no_longer_matches_its_certificate(ca_home: Path, tmp_path: Path) -> None:
    from contextlib import closing

    from tests.support import storestate

    cli.ok(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "out")
    assert "passes every check" in cli.ok(ca_home, "store", "check").stdout
    with closing(storestate.connect(ca_home)) as conn:  # a certificate's validity "extended" in the row
        conn.execute("UPDATE certificates SET not_after = not_after + 86400 WHERE device_id = 'ZM-001'")
        conn.commit()
    result = cli.run(ca_home, "store", "check")
    assert result.returncode != 0
    assert "PROBLEM:" in result.stdout and "validity in the row is not the DER's" in result.stdout, result
    wrong = cli.run(ca_home, "store", "check", passphrase="not the passphrase")
    assert "the CA key does not open" in wrong.stdout, wrong
