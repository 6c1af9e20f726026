"""Running ``zmdevice`` the way a technician or a script does: a separate process, exit status, stdout/stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.support import cli

SECRET = "device keystore secret"
SECRET_ENV = "ZMDEVICE_KEYSTORE_PASSPHRASE"
CODE_ENV = "ZMDEVICE_CODE"


@dataclass(frozen=True)
class Result(cli.Result):
    def __str__(self) -> str:
        return "zmdevice" + super().__str__().removeprefix("zmconsole")


def run(*args: str | Path, secret: str | None = SECRET, code: str | None = None,
        env: Mapping[str, str] | None = None, timeout: float = 120) -> Result:
    """``zmdevice ARGS...`` with the keystore secret, and the pairing code if given, in the environment (never
    on the command line, where other local users could read it)."""
    environment = {k: v for k, v in os.environ.items() if k not in (SECRET_ENV, CODE_ENV)}
    if secret is not None:
        environment[SECRET_ENV] = secret
    if code is not None:
        environment[CODE_ENV] = code
    environment.update(env or {})
    argv = [sys.executable, "-m", "zmconsole.device", *map(str, args)]
    done = subprocess.run(argv, capture_output=True, text=True, env=environment, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)
    return Result(tuple(map(str, args)), done.returncode, done.stdout, done.stderr)


def ok(*args: str | Path, **kwargs: object) -> Result:
    result = run(*args, **kwargs)  # type: ignore[arg-type]
    assert result.returncode == 0, str(result)
    return result


def refused(result: Result, *words: str) -> str:
    """A failed command: non-zero exit, exactly one line on stderr, no traceback, and all ``words`` in it."""
    assert result.returncode != 0, str(result)
    assert "Traceback" not in result.stderr + result.stdout, str(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, str(result)
    line = lines[0]
    assert line.startswith("zmdevice: ") and "internal error" not in line, str(result)
    for word in words:
        assert word.lower() in line.lower(), f"{word!r} not in {line!r}"
    return line
