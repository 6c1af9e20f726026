"""Inputs that used to end in an internal error (exit 70) end in one clear line and an unchanged store
(issue 8 item 13). The odd CSRs are committed files in tests/data, made by tests/data/make_data.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import cli, pki, storestate

ODD_CSRS = {
    "unknown_key_algorithm.csr.der": "public key cannot be read",
    "unknown_curve.csr.der": "public key cannot be read",
    "subject_bad_utf8.csr.der": "subject cannot be read",
}


def _unchanged(home: Path) -> tuple[object, list[str]]:
    return storestate.snapshot(home), storestate.audit_actions(home)


@pytest.mark.parametrize(("name", "words"), list(ODD_CSRS.items()))
def test_an_odd_csr_is_a_clear_refusal(ca_home: Path, tmp_path: Path, name: str, words: str) -> None:
    csr = tmp_path / name
    csr.write_bytes(pki.data(name))
    before = _unchanged(ca_home)
    result = cli.run(ca_home, "device", "issue", "ZM-001", "--csr", csr, "--out", tmp_path / "out")
    cli.assert_clean_error(result, words)
    assert result.returncode != 70
    assert _unchanged(ca_home) == before


def test_a_csv_field_over_128_kib_is_a_clear_refusal(ca_home: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "ward.csv"
    sheet.write_text("device_id,ward,location\nZM-001,ICU,Bed 1\nZM-002,ICU,\"" + "x" * (128 * 1024 + 1) + "\"\n")
    before = _unchanged(ca_home)
    result = cli.run(ca_home, "device", "import-csv", sheet, "--out", tmp_path / "out")
    cli.assert_clean_error(result, "line 3", "field", "nothing was issued")
    assert _unchanged(ca_home) == before


@pytest.mark.parametrize("option", ["--passphrase-file", "--key-password-file"])
def test_a_secret_file_that_is_not_utf8_is_a_clear_refusal(ca_home: Path, tmp_path: Path, option: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"correct horse \xff\xfe battery staple\n")
    before = _unchanged(ca_home)
    args: list[str | Path] = ["device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256",
                              "--out", tmp_path / "out"]
    if option == "--passphrase-file":
        result = cli.run(ca_home, *args, passphrase=None, passphrase_file=secret)
    else:
        result = cli.run(ca_home, *args, "--key-password-file", secret)
    line = cli.assert_clean_error(result, "not UTF-8", str(secret))
    assert "battery" not in line  # the secret itself is never shown
    assert _unchanged(ca_home) == before


def test_a_crl_valid_for_ten_billion_hours_is_a_clear_refusal(ca_home: Path, tmp_path: Path) -> None:
    before = _unchanged(ca_home)
    result = cli.run(ca_home, "crl", "generate", "--hours", "10000000000", "--out", tmp_path / "crl.pem")
    cli.assert_clean_error(result, "at most", "hours")
    assert _unchanged(ca_home) == before
    assert not (tmp_path / "crl.pem").exists()
