"""The distribution as a user gets it: the sdist and the wheel built from a copy of the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import zmconsole

REPO = Path(zmconsole.__file__).resolve().parent.parent
_LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", "*.egg-info", "build", "dist",
                                   ".pytest_cache", ".mypy_cache", ".ruff_cache", ".import_linter_cache",
                                   "bench-out", "data")


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``python -m build`` (sdist, then the wheel from the sdist) on a clean copy of the tree.

    The copy keeps build debris out of the working tree; building the wheel from the sdist proves the sdist
    holds everything the wheel needs.
    """
    root = tmp_path_factory.mktemp("dist")
    source = root / "source"
    shutil.copytree(REPO, source, ignore=_LEFT_OUT)
    out = root / "out"
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    [sdist] = out.glob("zmconsole-*.tar.gz")
    [wheel] = out.glob("zmconsole-*.whl")
    return Built(sdist, wheel)
