"""The keystore on disk: 0700/0600 whatever the umask, the key encrypted with AES-256 (openssl is the
referee), installed atomically, readable for ``status`` without the secret, and refused when tampered."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.device.conftest import SECRET
from tests.device.pki import Pki
from tests.support import referees
from zmconsole.core import keyfiles, keys
from zmconsole.device import keystore
from zmconsole.device.troubleshooting import DeviceError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_directory_0700_files_0600_even_with_a_permissive_umask(enrolled: keystore.Identity) -> None:
    directory = enrolled.directory
    assert _mode(directory) == 0o700
    files = sorted(p.name for p in directory.iterdir())
    assert files == sorted([keystore.KEY_FILE, keystore.CERT_FILE, keystore.CHAIN_FILE, keystore.CRL_FILE,
                            keystore.PAIRING_FILE])
    assert {p.name: _mode(p) for p in directory.iterdir()} == dict.fromkeys(files, 0o600)
    assert keystore.permission_problems(directory) == []


def test_install_sets_modes_explicitly(enrolled: keystore.Identity, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        target = tmp_path / "second"
        keystore.install(target, certificate=enrolled.certificate, ca_chain=enrolled.ca_chain,
                         private_key=_key(enrolled), secret=SECRET, facts=_facts(enrolled))
    finally:
        os.umask(old)
    assert _mode(target) == 0o700 and {_mode(p) for p in target.iterdir()} == {0o600}


def _key(identity: keystore.Identity) -> keys.PrivateKey:
    return keyfiles.decrypt_pem(identity.key_file.read_bytes(), SECRET, what="the device key")


def _facts(identity: keystore.Identity) -> dict[str, object]:
    return dict(json.loads((identity.directory / keystore.PAIRING_FILE).read_text()))


def test_the_key_is_pbes2_aes256_and_needs_the_secret(enrolled: keystore.Identity, tmp_path: Path) -> None:
    pem = enrolled.key_file.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    parsed = referees.openssl("asn1parse", "-in", enrolled.key_file)
    assert "PBES2" in parsed.stdout and "aes-256-cbc" in parsed.stdout, parsed.output
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the keystore secret")
    assert referees.open_key(enrolled.key_file, None).returncode != 0
    assert referees.open_key(enrolled.key_file, wrong).returncode != 0
    right = tmp_path / "right.txt"
    right.write_bytes(SECRET)
    assert referees.open_key(enrolled.key_file, right).returncode == 0


def test_loose_permissions_are_reported(enrolled: keystore.Identity) -> None:
    os.chmod(enrolled.key_file, 0o644)
    os.chmod(enrolled.directory, 0o755)  # noqa: S103 - the mistake under test
    problems = keystore.permission_problems(enrolled.directory)
    assert f"{enrolled.directory.name} is 0755 (must be 0700)" in problems
    assert f"{keystore.KEY_FILE} is 0644 (must be 0600)" in problems
    with pytest.raises(DeviceError, match="readable by others"):
        keystore.require_private(enrolled.directory)


def test_an_installation_cut_short_between_the_renames_is_finished(enrolled: keystore.Identity) -> None:
    staged = enrolled.directory.with_name(enrolled.directory.name + ".new")
    os.replace(enrolled.directory, staged)  # as if the process died after moving the old keystore away
    assert keystore.load(enrolled.directory).certificate == enrolled.certificate
    assert not staged.exists()


def test_an_incomplete_staging_directory_is_not_an_identity(enrolled: keystore.Identity) -> None:
    staged = enrolled.directory.with_name(enrolled.directory.name + ".new")
    os.replace(enrolled.directory, staged)
    (staged / keystore.PAIRING_FILE).unlink()  # pairing.json is written last: without it, not complete
    with pytest.raises(DeviceError, match="No device identity is installed"):
        keystore.load(enrolled.directory)


def test_a_swapped_ca_certificate_is_refused(enrolled: keystore.Identity) -> None:
    (enrolled.directory / keystore.CHAIN_FILE).write_bytes(Pki("Impostor CA").pem)
    with pytest.raises(DeviceError, match="not the one pinned at pairing"):
        keystore.load(enrolled.directory)


def test_a_damaged_keystore_is_one_clear_error(enrolled: keystore.Identity) -> None:
    (enrolled.directory / keystore.CERT_FILE).write_text("garbage")
    with pytest.raises(DeviceError, match=r"is damaged .* pair the device again"):
        keystore.load(enrolled.directory)


def test_the_secret_comes_from_the_file_first_then_the_environment(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text("from the file, long enough\n")
    environ = {keystore.PASSPHRASE_ENV: "from the environment"}
    assert keystore.keystore_secret(str(secret_file), environ) == (b"from the file, long enough",
                                                                   f"the file {secret_file}")
    assert keystore.keystore_secret(None, environ) == (b"from the environment", keystore.PASSPHRASE_ENV)
    with pytest.raises(DeviceError, match="keystore secret is missing"):
        keystore.keystore_secret(None, {})
    with pytest.raises(DeviceError, match="shorter than 8"):
        keystore.keystore_secret(None, {keystore.PASSPHRASE_ENV: "short"})
    with pytest.raises(DeviceError, match="Cannot read the keystore passphrase file"):
        keystore.keystore_secret(str(tmp_path / "missing"), environ)


def test_the_keystore_location_is_checked_before_pairing(tmp_path: Path) -> None:
    in_the_way = tmp_path / "keystore"
    in_the_way.write_text("")
    with pytest.raises(DeviceError, match="is a file, not a directory"):
        keystore.check_installable(in_the_way)
    keystore.check_installable(tmp_path / "new" / "parents" / "keystore")
    assert stat.S_IMODE((tmp_path / "new" / "parents").stat().st_mode) == 0o700
    with pytest.raises(DeviceError, match="missing or not writable"):
        keystore.check_installable(in_the_way / "keystore")
