"""A full disk is reported as full, not as a damaged store, and a read-only store still answers reading
commands (issue 8 item 14). Both on a real filesystem: a small tmpfs mounted for the test (as root), filled up,
then remounted read-only."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import cli, storestate

# The database file on a small filesystem, filled and remounted read-only: PostgreSQL's files are its server's.
pytestmark = pytest.mark.sqlite_only


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs of this test's own; skipped where mounting is not allowed."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(point))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def home_on_small_disk(ca_home: Path, small_disk: Path, tmp_path: Path) -> Path:
    home = small_disk / "home"
    shutil.copytree(ca_home, home)
    cli.ok(home, "device", "issue", "ZM-001", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "out")
    return home


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass  # no space left on the device
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_is_reported_as_full_and_the_store_is_fine_afterwards(home_on_small_disk: Path,
                                                                          small_disk: Path,
                                                                          tmp_path: Path) -> None:
    home = home_on_small_disk
    before, actions = storestate.snapshot(home), storestate.audit_actions(home)
    filler = _fill(small_disk)
    for args in (("device", "list"), ("audit", "verify"), ("config", "set", "device-days", "200"),
                 ("device", "issue", "ZM-002", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "out")):
        result = cli.run(home, *args)
        line = cli.assert_clean_error(result, "full", "free some space", code=3)
        assert "is damaged" not in line and "backup" not in line
    filler.unlink()
    assert storestate.snapshot(home) == before
    assert storestate.audit_actions(home) == actions
    assert "ZM-001" in cli.ok(home, "device", "list").stdout
    assert "intact" in cli.ok(home, "audit", "verify").stdout


def test_reading_commands_work_on_a_read_only_store(home_on_small_disk: Path, small_disk: Path,
                                                    tmp_path: Path) -> None:
    home = home_on_small_disk
    before = storestate.snapshot(home)
    remounted = _mount("-o", "remount,ro", str(small_disk))
    assert remounted.returncode == 0, remounted.stderr
    try:
        listed = cli.ok(home, "device", "list")
        assert "ZM-001" in listed.stdout
        assert "ZM-001" in cli.ok(home, "device", "list", "--json").stdout
        assert "intact" in cli.ok(home, "audit", "verify").stdout
        for args in (("config", "set", "device-days", "200"), ("device", "revoke", "ZM-001", "--reason", "lost"),
                     ("device", "issue", "ZM-002", "--generate-key", "--key", "ec-p256", "--out", tmp_path / "o")):
            cli.assert_clean_error(cli.run(home, *args), "read-only", "only reading works", "--home", code=3)
    finally:
        _mount("-o", "remount,rw", str(small_disk))
    assert storestate.snapshot(home) == before
