"""Files written where the user asked (issue 8, items 2 and 16): complete or absent, never through a symbolic
link, never over an existing file without ``force``, 0600 for key material whatever was there before."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.support import fulldisk
from zmconsole.cli import errors as cli_errors
from zmconsole.core import output_files
from zmconsole.core.errors import Hint, HintKind
from zmconsole.core.output_files import OutputError


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_is_created_whole_with_its_mode(tmp_path: Path) -> None:
    key = output_files.write(tmp_path / "sub" / "a.key.pem", b"secret", private=True)
    cert = output_files.write(tmp_path / "sub" / "a.crt.pem", b"public")
    assert key.read_bytes() == b"secret" and _mode(key) == 0o600
    assert cert.read_bytes() == b"public" and _mode(cert) & 0o077 != 0o077
    assert _leftovers(tmp_path / "sub") == []


def test_a_planted_link_is_never_written_through(tmp_path: Path) -> None:
    bystander = tmp_path / "bystander"
    bystander.write_bytes(b"unrelated")
    link = tmp_path / "ZM-980.crt.pem"
    link.symlink_to(bystander)
    with pytest.raises(OutputError, match="symbolic link"):
        output_files.write(link, b"certificate")
    assert bystander.read_bytes() == b"unrelated" and link.is_symlink()
    # With force, the link itself is replaced by the file; what it pointed at is untouched.
    output_files.write(link, b"certificate", force=True)
    assert not link.is_symlink() and link.read_bytes() == b"certificate"
    assert bystander.read_bytes() == b"unrelated"
    assert _leftovers(tmp_path) == []


def test_a_dangling_link_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "ZM-980.key.pem"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputError, match="symbolic link"):
        output_files.write(link, b"key", private=True)
    assert not (tmp_path / "nowhere").exists()


def test_an_existing_file_is_kept_unless_forced_and_a_key_is_0600_whatever_it_was(tmp_path: Path) -> None:
    key = tmp_path / "ZM-980.key.pem"
    key.write_bytes(b"old")
    key.chmod(0o666)
    with pytest.raises(OutputError, match=r"already exists") as refused:
        output_files.write(key, b"new key", private=True)
    assert refused.value.hint == Hint(HintKind.REPLACE_FILE)
    assert cli_errors.text(refused.value).endswith("already exists: choose another name. To replace it, add --force.")
    assert key.read_bytes() == b"old" and _mode(key) == 0o666
    output_files.write(key, b"new key", private=True, force=True)
    assert key.read_bytes() == b"new key" and _mode(key) == 0o600


def test_identical_public_content_is_not_an_overwrite(tmp_path: Path) -> None:
    ca = tmp_path / "ca.crt.pem"
    ca.write_bytes(b"the CA")
    output_files.write(ca, b"the CA")  # the CA certificate beside every device of a batch
    with pytest.raises(OutputError, match="already exists"):
        output_files.write(ca, b"another CA")


@pytest.mark.parametrize("private", [False, True])
def test_a_folder_is_refused_even_with_force(tmp_path: Path, private: bool) -> None:
    folder = tmp_path / "crl.pem"
    folder.mkdir()
    for force in (False, True):
        with pytest.raises(OutputError, match="is a folder"):
            output_files.write(folder, b"x", private=private, force=force)
    assert list(folder.iterdir()) == [] and _leftovers(tmp_path) == []


def test_a_staged_file_has_no_name_until_published(tmp_path: Path) -> None:
    path = tmp_path / "a.p12"
    staged = output_files.stage(path, b"data", private=True)
    assert not path.exists() and len(_leftovers(tmp_path)) == 1
    # Something took the name meanwhile: publishing refuses rather than replacing it.
    path.write_bytes(b"someone else's")
    with pytest.raises(OutputError, match="appeared"):
        staged.publish()
    staged.discard()
    assert path.read_bytes() == b"someone else's" and _leftovers(tmp_path) == []


def test_a_full_disk_leaves_nothing_under_the_name(tmp_path: Path) -> None:
    with fulldisk.mounted(tmp_path / "disk", size_kib=64) as disk:
        fulldisk.fill(disk, leave_bytes=4096)
        with pytest.raises(OutputError, match=r"No space left on device.*free some space"):
            output_files.write(disk / "big.p12", b"x" * 40_000, private=True)
        assert not (disk / "big.p12").exists()
        assert _leftovers(disk) == []
