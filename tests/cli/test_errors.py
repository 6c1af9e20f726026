"""Errors on the command line (issue 2 "Command line", "Acceptance"): every refusal is a non-zero exit and one
line on stderr that says what is wrong and what to do, never a traceback, and the store is left unchanged
(apart from the audit entry a security event deserves)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support import cli, pki, storestate
from zmconsole.core import ca, issuance
from zmconsole.core.store import Store

# (data file for `device issue ZM-001 --csr`, words the one error line must contain)
CSR_CASES = [
    ("garbage.csr", ["cannot be read", "export it again"]),
    ("truncated.csr.pem", ["truncated"]),
    ("broken_signature.csr.der", ["signature does not verify"]),
    ("rsa1024.csr.pem", ["1024 bits", "at least 2048"]),
    ("cn_bad_pattern.csr.pem", ["CN is 'monitor-7' but must be 'ZM-001'"]),
    ("cn_zm002.csr.pem", ["CN is 'ZM-002' but must be 'ZM-001'"]),
    ("ca_true.csr.pem", ["CA:TRUE"]),
]


def refused(home: Path, *args: str | Path, words: list[str], code: int | None = None,
            audited: tuple[str, ...] = (), **kwargs: Any) -> cli.Result:
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    result = cli.run(home, *args, **kwargs)
    cli.assert_clean_error(result, *words, code=code)
    assert storestate.snapshot(home) == before, result
    assert storestate.audit_actions(home) == [*actions, *audited], result
    return result


@pytest.mark.parametrize(("name", "words"), CSR_CASES, ids=[c[0] for c in CSR_CASES])
def test_a_bad_csr(name: str, words: list[str], ca_home: Path, tmp_path: Path) -> None:
    csr = tmp_path / name
    csr.write_bytes(pki.data(name))
    refused(ca_home, "device", "issue", "ZM-001", "--csr", csr, "--out", tmp_path / "out", words=words)
    assert not (tmp_path / "out" / "ZM-001.crt.pem").exists()


def test_a_device_id_that_breaks_the_pattern(ca_home: Path, tmp_path: Path) -> None:
    refused(ca_home, "device", "issue", "monitor-7", "--generate-key", "--out", tmp_path / "out",
            words=["does not match the site pattern"])


def test_a_second_certificate_for_an_active_device(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa,
                                                   tmp_path: Path) -> None:
    issued = issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    refused(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out", tmp_path,
            words=["already has an active certificate", issued.serial, "renew or revoke it first"])


def test_a_wrong_passphrase_is_refused_and_audited(ca_home: Path, tmp_path: Path) -> None:
    wrong = pki.write_text(tmp_path / "wrong.txt", "not the passphrase\n")
    refused(ca_home, "device", "issue", "ZM-001", "--generate-key", "--out", tmp_path / "out", passphrase=None,
            passphrase_file=wrong, words=["passphrase does not open"], audited=("ca.passphrase_wrong",))
    refused(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem", passphrase="also not it",
            words=["passphrase does not open"], audited=("ca.passphrase_wrong",))
    assert not (tmp_path / "crl.pem").exists()


def test_no_passphrase_available_without_a_terminal(ca_home: Path, tmp_path: Path) -> None:
    refused(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem", passphrase=None,
            words=["--passphrase-file", "ZMCONSOLE_PASSPHRASE"])
    empty = pki.write_text(tmp_path / "empty.txt", "\n")
    refused(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem", passphrase=None, passphrase_file=empty,
            words=["is empty"])
    refused(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem", passphrase=None,
            passphrase_file=tmp_path / "missing.txt", words=["Cannot read the passphrase file"])


@pytest.mark.parametrize("args", [
    ("device", "show", "ZM-404"),
    ("device", "export", "ZM-404", "--format", "pem", "--out", "{tmp}/x.pem"),
    ("device", "revoke", "ZM-404", "--reason", "lost"),
])
def test_an_unknown_device(args: tuple[str, ...], ca_home: Path, tmp_path: Path) -> None:
    refused(ca_home, *(a.format(tmp=tmp_path) for a in args), words=["ZM-404", "device list"])


def test_revoking_twice(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa) -> None:
    issued = issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    cli.ok(ca_home, "device", "revoke", "ZM-001", "--reason", "lost")
    refused(ca_home, "device", "revoke", "ZM-001", "--reason", "compromised",
            words=["already revoked", issued.serial, "nothing to do"])
    refused(ca_home, "device", "revoke", issued.serial, "--reason", "lost", words=["already revoked"])
    assert [r["revoked_at"] is not None for r in storestate.rows(ca_home, "certificates")] == [True]


def test_malformed_csv_rows_are_reported_with_line_numbers(ca_home: Path, tmp_path: Path,
                                                           key_password_file: Path) -> None:
    csv_file = tmp_path / "ward.csv"
    csv_file.write_bytes(pki.data("bulk_mixed.csv"))
    out = tmp_path / "out"
    result = cli.run(ca_home, "device", "import-csv", csv_file, "--out", out, "--key", "ec-p256",
                     "--key-password-file", key_password_file)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert "Issued 3 certificate(s)" in result.stdout and "refused 4 row(s)" in result.stdout
    assert "  line 3: ZM-102: it has 2 fields but the header has 3" in result.stdout
    assert "  line 5: (no device_id): device_id is empty" in result.stdout
    assert "  line 6: ZM-101: ZM-101 is listed twice (first on line 2)" in result.stdout
    assert "  line 7: monitor-7: " in result.stdout and "site pattern" in result.stdout
    assert "Key password" not in result.stdout
    assert "[4/4] ZM-108 issued" in result.stderr  # progress, one line per row without a terminal
    assert {r["device_id"] for r in storestate.rows(ca_home, "devices")} == {"ZM-101", "ZM-103", "ZM-108"}
    assert sorted(p.name for p in out.glob("ZM-*.crt.pem")) == ["ZM-101.crt.pem", "ZM-103.crt.pem",
                                                                "ZM-108.crt.pem"]


def test_a_clean_csv_exits_zero_and_prints_the_batch_password_once(ca_home: Path, tmp_path: Path) -> None:
    csv_file = pki.write_text(tmp_path / "ok.csv", "device_id,ward\nZM-201,ICU\nZM-202,ICU\n")
    result = cli.run(ca_home, "device", "import-csv", csv_file, "--out", tmp_path / "out", "--key", "ec-p256")
    assert result.returncode == 0, result
    # Printed once, and first: before the first row is issued, so an interrupted run's keys open with it too.
    assert result.stdout.count("Key password for every key this run writes (shown once; keep it now): ") == 1
    assert result.stdout.startswith("Key password for every key this run writes")


def test_a_csv_without_a_device_id_column(ca_home: Path, tmp_path: Path) -> None:
    csv_file = pki.write_text(tmp_path / "bad.csv", "serial,ward\n1,ICU\n")
    refused(ca_home, "device", "import-csv", csv_file, "--out", tmp_path / "out", words=["no device_id column"])


def test_missing_input_files(ca_home: Path, tmp_path: Path, empty_store_env: dict[str, str]) -> None:
    refused(ca_home, "device", "issue", "ZM-001", "--csr", tmp_path / "nope.csr", "--out", tmp_path,
            words=["Cannot read the CSR", "check the path"])
    cli.assert_clean_error(cli.run(tmp_path / "new-home", "ca", "import", "--cert", tmp_path / "nope.pem", "--key",
                                   tmp_path / "nope.key", env=empty_store_env), "Cannot read the certificate")
    refused(ca_home, "ca", "import", "--cert", tmp_path / "nope.pem", "--key", tmp_path / "nope.key",
            words=["already exists"])
    refused(ca_home, "device", "import-csv", tmp_path / "nope.csv", "--out", tmp_path, words=["Cannot read the CSV"])


def test_bad_values(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    refused(ca_home, "device", "issue", "ZM-001", "--generate-key", "--days", "0", "--out", tmp_path,
            words=["between 1 and 3650 days"])
    refused(ca_home, "server", "issue", "bad host!", "--generate-key", "--out", tmp_path,
            words=["not a valid host name"])
    refused(ca_home, "server", "issue", "ok.hospital.example", "--ip", "10.0.0.999", "--generate-key", "--out",
            tmp_path, words=["not an IP address"])
    refused(ca_home, "crl", "generate", "--out", tmp_path / "crl.pem", "--hours", "0", words=["at least 1 hour"])
    refused(ca_home, "config", "set", "crl-url", "ftp://x", words=["http or https URL"])

def test_nothing_is_issued_when_the_key_cannot_be_delivered(ca_home: Path, tmp_path: Path) -> None:
    """A certificate whose key was never written would block the device until revoked."""
    short = pki.write_text(tmp_path / "short.txt", "short\n")
    refused(ca_home, "device", "issue", "ZM-001", "--generate-key", "--key-password-file", short, "--out",
            tmp_path / "o", words=["key password is too short"])
    refused(ca_home, "server", "issue", "ok.hospital.example", "--generate-key", "--key-password-file", short,
            "--out", tmp_path / "o", words=["too short"])
    blocker = pki.write_text(tmp_path / "a-file", "not a folder")
    refused(ca_home, "device", "issue", "ZM-001", "--generate-key", "--out", blocker / "out",
            words=["Cannot write to", "choose a writable folder"])
    csv_file = pki.write_text(tmp_path / "ok.csv", "device_id\nZM-201\n")
    refused(ca_home, "device", "import-csv", csv_file, "--out", blocker / "out", words=["Cannot write to"])


def test_no_ca_yet(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    for args in (("ca", "show"), ("device", "issue", "ZM-001", "--generate-key", "--out", str(tmp_path)),
                 ("crl", "generate", "--out", str(tmp_path / "c.pem"))):
        cli.assert_clean_error(cli.run(home, *args), "no platform CA yet", "zmconsole ca init")


def test_ca_init_refuses_a_second_ca_and_a_short_passphrase(ca_home: Path, tmp_path: Path,
                                                           empty_store_env: dict[str, str]) -> None:
    from tests.cli.conftest import CA_INIT

    refused(ca_home, *CA_INIT, words=["already exists"])
    cli.assert_clean_error(cli.run(tmp_path / "new", *CA_INIT, passphrase="short", env=empty_store_env), "too short")
    cli.assert_clean_error(cli.run(tmp_path / "new", *CA_INIT[:-2], "--country", "USA", env=empty_store_env),
                           "two-letter")


@pytest.mark.sqlite_only  # the database file overwritten with noise
def test_a_corrupt_store(ca_home: Path) -> None:
    db = ca_home / storestate.DB_FILENAME
    db.write_bytes(os.urandom(db.stat().st_size))
    for args in (("device", "list"), ("ca", "show")):
        cli.assert_clean_error(cli.run(ca_home, *args), "damaged", "backup", code=3)


@pytest.mark.sqlite_only  # SQLite's read-only handle on the file (root ignores file modes)
def test_a_read_only_store(ca_home: Path, ca_store: Store, ca_unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    issuance.issue_device(ca_store, ca_unlocked, "ZM-001", generate="ec-p256")
    url = f"sqlite:///file:{ca_home / storestate.DB_FILENAME}?mode=ro&uri=true"
    listed = cli.run(ca_home, "device", "list", env={"ZMCONSOLE_DATABASE_URL": url})
    assert listed.returncode == 0 and "ZM-001" in listed.stdout, listed
    refused(ca_home, "device", "revoke", "ZM-001", "--reason", "lost", env={"ZMCONSOLE_DATABASE_URL": url},
            words=["read-only"], code=3)


def test_usage_errors_exit_2_without_a_traceback(ca_home: Path) -> None:
    for args in (("device", "list", "--status", "expiring"), ("device", "issue", "ZM-001", "--out", "x")):
        result = cli.run(ca_home, *args)
        assert result.returncode == 2, result
        assert "Traceback" not in result.stderr
        assert "error:" in result.stderr.strip().splitlines()[-1]
