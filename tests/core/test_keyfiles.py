"""Encrypted key files (zmconsole.core.keyfiles): PKCS#12 protects its MAC with the same work factor as its
key bags (issue 8 item 17), checked by ``openssl pkcs12 -info``, which prints both iteration counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12

from tests.support import pki, referees
from zmconsole.core import ca, issuance, keyfiles, keys
from zmconsole.core.store import Store


def _info(p12: Path, password_file: Path) -> referees.Ran:
    return referees.openssl("pkcs12", "-in", p12, "-info", "-noout", "-passin", f"file:{password_file}")


@pytest.mark.parametrize("password", ["delivery password 1", "Kennwort für Station 3 ✓"])
def test_the_pkcs12_mac_has_the_work_factor_of_the_key_bags(password: str, store: Store, unlocked: ca.UnlockedCa,
                                                             tmp_path: Path) -> None:
    issued = issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256")
    key = issued.private_key
    assert key is not None
    p12 = tmp_path / "device.p12"
    p12.write_bytes(keyfiles.pkcs12(key, issued.certificate, issued.chain, name="ZM-001", password=password))
    info = _info(p12, pki.write_text(tmp_path / "pw", password + "\n"))
    assert info.returncode == 0, info.output  # openssl verified the MAC with this password
    assert "MAC: sha256, Iteration 600000" in info.output, info.output
    bags = re.findall(r"PBKDF2, AES-256-CBC, Iteration (\d+), PRF hmacWithSHA256", info.output)
    assert bags and set(bags) == {"600000"}, info.output
    opened, cert, chain = pkcs12.load_key_and_certificates(p12.read_bytes(), password.encode())
    assert opened is not None and keys.spki(opened) == keys.spki(key)
    assert cert == issued.certificate and chain == [unlocked.certificate]


def test_a_wrong_password_fails_the_mac(unlocked: ca.UnlockedCa, tmp_path: Path) -> None:
    p12 = tmp_path / "device.p12"
    p12.write_bytes(keyfiles.pkcs12(unlocked.key, unlocked.certificate, [], name="the CA",
                                    password="delivery password 1", iterations=1000))
    info = _info(p12, pki.write_text(tmp_path / "pw", "delivery password 2\n"))
    assert info.returncode != 0
    assert "mac verify" in info.output.lower(), info.output
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12.read_bytes(), b"delivery password 2")
