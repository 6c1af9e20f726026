"""Running ``zmconsole`` the way an administrator's script does: a separate process, exit status, stdout/stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PASSPHRASE
from tests.support import postgres


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"zmconsole {' '.join(self.argv)} -> {self.returncode}\nstdout: {self.stdout}\nstderr: {self.stderr}"


def environment(passphrase: str | None = PASSPHRASE, extra: Mapping[str, str] | None = None,
                home: Path | None = None) -> dict[str, str]:
    """A clean environment: no inherited home, database URL or passphrase unless given here.

    On PostgreSQL the database is the test's, or the one of ``home`` if it has its own (postgres.data_directory).
    """
    dropped = ("ZMCONSOLE_HOME", "ZMCONSOLE_PASSPHRASE") if postgres.wanted() else (
        "ZMCONSOLE_HOME", "ZMCONSOLE_PASSPHRASE", "ZMCONSOLE_DATABASE_URL")  # postgres: the test's database
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    own = postgres.database_of(home)
    if own is not None:
        env["ZMCONSOLE_DATABASE_URL"] = own
    if passphrase is not None:
        env["ZMCONSOLE_PASSPHRASE"] = passphrase
    env.update(extra or {})
    return env


def command(home: Path | None, args: Sequence[str | Path], *, passphrase_file: Path | None = None) -> list[str]:
    argv = [sys.executable, "-m", "zmconsole"]
    if home is not None:
        argv += ["--home", str(home)]
    if passphrase_file is not None:
        argv += ["--passphrase-file", str(passphrase_file)]
    return argv + [str(a) for a in args]


def run(home: Path | None, *args: str | Path, passphrase: str | None = PASSPHRASE,
        passphrase_file: Path | None = None, env: Mapping[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 120) -> Result:
    """``zmconsole --home HOME [--passphrase-file F] ARGS...`` with the passphrase in the environment if given."""
    done = subprocess.run(command(home, args, passphrase_file=passphrase_file), capture_output=True, text=True,
                          env=environment(passphrase, env, home), cwd=cwd, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    return Result(tuple(str(a) for a in args), done.returncode, done.stdout, done.stderr)


def ok(home: Path | None, *args: str | Path, **kwargs: object) -> Result:
    result = run(home, *args, **kwargs)  # type: ignore[arg-type]
    assert result.returncode == 0, str(result)
    return result


def assert_clean_error(result: Result, *words: str, code: int | None = None) -> str:
    """A failed command: non-zero exit, exactly one line on stderr, no traceback, and the key ``words``."""
    assert result.returncode != 0, str(result)
    if code is not None:
        assert result.returncode == code, str(result)
    assert "Traceback" not in result.stderr + result.stdout, str(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, str(result)
    line = lines[0]
    assert line.startswith("zmconsole: "), str(result)
    assert "internal error" not in line, str(result)
    for word in words:
        assert word.lower() in line.lower(), f"{word!r} not in {line!r}"
    return line
