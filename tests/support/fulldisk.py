"""A real full disk: a small tmpfs mounted for one test (root only; elsewhere the test is skipped).

``ENOSPC`` then comes from the kernel exactly as it does on a full partition, at the write that does not fit,
not from a mock. ``fill`` leaves a chosen number of bytes free.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def mounted(where: Path, *, size_kib: int) -> Iterator[Path]:
    """``where`` as a tmpfs of ``size_kib`` KiB for the duration; skips the test when mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs (a real full disk) needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(folder: Path, *, leave_bytes: int = 0) -> None:
    """Fill the file system holding ``folder`` until at most ``leave_bytes`` (rounded to pages) are free."""
    filler = folder / ".filler"
    with filler.open("wb") as handle:
        chunk = b"\0" * 4096
        while True:
            stats = os.statvfs(folder)
            if stats.f_bavail * stats.f_frsize <= leave_bytes:
                break
            try:
                handle.write(chunk)
                handle.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
                break


def free_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize
