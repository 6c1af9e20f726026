"""Nothing unencrypted (issue 2 "Acceptance"): after a full command-line run, no file under the data directory
and no cell of any table holds a private key that opens without a password, and the passphrase is nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from tests.cli.conftest import CA_INIT
from tests.conftest import PASSPHRASE, build_csr, shared_database
from tests.support import cli, leaks, pki, postgres, storestate
from zmconsole.core import ca, issuance, keyfiles, keys
from zmconsole.core.store import Store

KEY_PASSWORD = "delivery password 1"
WRONG = "a wrong passphrase attempt"


@pytest.fixture(scope="module")
def full_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(data directory, output folder) after init, issue in both modes, bulk, server, hold, p12, revoke, CRL."""
    with shared_database(request):
        yield _full_run(tmp_path_factory)


def _full_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("full-run")
    home, out = root / "home", root / "out"
    passphrase_file = pki.write_text(root / "passphrase.txt", PASSPHRASE + "\n")
    key_password_file = pki.write_text(root / "key-password.txt", KEY_PASSWORD + "\n")

    def run(*args: str | Path) -> cli.Result:
        return cli.ok(home, *args, passphrase=None, passphrase_file=passphrase_file)

    run(*CA_INIT)
    csr = root / "zm-001.csr"
    csr.write_bytes(build_csr("ZM-001", key=keys.generate("rsa2048")))
    run("device", "issue", "ZM-001", "--csr", csr, "--out", out)
    run("device", "issue", "ZM-002", "--generate-key", "--key", "rsa2048", "--out", out)
    run("device", "issue", "ZM-003", "--generate-key", "--key", "ec-p256", "--key-password-file", key_password_file,
        "--out", out)
    run("device", "import-csv", pki.write_text(root / "ward.csv", "device_id,ward\nZM-010,ICU\nZM-011,ICU\n"),
        "--key", "ec-p256", "--key-password-file", key_password_file, "--out", out / "bulk")
    run("server", "issue", "telemetry.hospital.example", "--ip", "10.0.0.5", "--generate-key", "--out", out)
    # Keys the console holds until delivery (the GUI and pairing path): one delivered as PKCS#12, one still held.
    store = Store.open(home)
    unlocked = ca.unlock(store, PASSPHRASE)
    issuance.issue_device(store, unlocked, "ZM-004", generate="rsa2048", hold_key=True)
    issuance.issue_device(store, unlocked, "ZM-005", generate="ec-p256", hold_key=True)
    store.dispose()
    run("device", "export", "ZM-004", "--format", "p12", "--key-password-file", key_password_file, "--out",
        out / "ZM-004.p12")
    run("device", "revoke", "ZM-002", "--reason", "compromised")
    run("crl", "generate", "--out", out / "crl.pem")
    run("audit", "export", "--out", out / "audit.csv")
    cli.assert_clean_error(cli.run(home, "crl", "generate", "--out", out / "x.pem", passphrase=WRONG),
                           "passphrase does not open")
    return home, out


def test_the_run_left_a_held_key_and_every_kind_of_row(full_run: tuple[Path, Path]) -> None:
    """The scan below is only meaningful if the store holds what a real site's does."""
    home, _ = full_run
    snapshot = storestate.snapshot(home)
    assert len(snapshot["held_keys"]) == 1
    assert len(snapshot["cas"]) == 1 and len(snapshot["crls"]) == 2
    assert len(snapshot["certificates"]) == 8
    assert "ca.passphrase_wrong" in storestate.audit_actions(home)


def test_no_file_in_the_data_directory_holds_a_plain_key(full_run: tuple[Path, Path]) -> None:
    home, _ = full_run
    scanned = list(leaks.files(home))
    in_home = {"ca.key.pem", "ca.crt.pem"} | (set() if postgres.wanted() else {storestate.DB_FILENAME})
    assert {p.name for p in scanned} >= in_home  # PostgreSQL's store: the cells, below
    for path in scanned:
        assert leaks.plain_keys(path.read_bytes()) == [], path


def test_no_cell_of_any_table_holds_a_plain_key(full_run: tuple[Path, Path]) -> None:
    home, _ = full_run
    cells = list(storestate.cells(home))
    assert {(t, c) for t, c, _ in cells} >= {("cas", "key_pem"), ("held_keys", "sealed"), ("certificates", "der")}
    for table, column, value in cells:
        assert leaks.plain_keys(value) == [], (table, column)
        try:
            serialization.load_der_private_key(value, password=None)
        except (ValueError, TypeError):
            pass
        else:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{table}.{column} holds an unencrypted DER private key")
        if b"PRIVATE KEY-----" in value:
            assert b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in value, (table, column)


def test_delivered_keys_are_encrypted_too(full_run: tuple[Path, Path]) -> None:
    _, out = full_run
    delivered = [p for p in leaks.files(out) if p.suffix in (".pem", ".p12")]
    assert len([p for p in delivered if p.name.endswith(".key.pem")]) == 5
    for path in delivered:
        assert leaks.plain_keys(path.read_bytes()) == [], path


def test_the_passphrase_is_nowhere(full_run: tuple[Path, Path]) -> None:
    home, out = full_run
    secrets = [PASSPHRASE.encode(), WRONG.encode(), KEY_PASSWORD.encode()]
    for path in [*leaks.files(home), *leaks.files(out)]:
        data = path.read_bytes()
        assert not any(s in data for s in secrets), path
    for table, column, value in storestate.cells(home):
        assert not any(s in value for s in secrets), (table, column)


def test_the_scanner_finds_a_plain_key(tmp_path: Path) -> None:
    """Positive control: the scan above would see a key stored in the clear, PEM or DER, RSA or EC."""
    for key in (keys.generate("ec-p256"), keys.generate("rsa2048")):
        for encoding in (serialization.Encoding.PEM, serialization.Encoding.DER):
            for fmt in (serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL):
                plain = key.private_bytes(encoding, fmt, serialization.NoEncryption())
                assert leaks.plain_keys(b"\x00" * 37 + plain + b"\x01" * 11), (encoding, fmt)
        assert leaks.plain_keys(keyfiles.encrypt_pkcs8(key, KEY_PASSWORD, iterations=1000)) == []
