"""Where the data directory is: ``--home``, then ``ZMCONSOLE_HOME``, then the per-user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from zmconsole.core.errors import Hint, HintKind, StoreError


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory to use, without creating it."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("ZMCONSOLE_HOME")
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_data_dir  # only here: --home or ZMCONSOLE_HOME need not import it

    return Path(user_data_dir("zmconsole", appauthor=False))


def ensure_home(home: Path) -> Path:
    """Create the data directory (mode 0700) and its ``private/`` key folder; return ``home``."""
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        (home / "private").mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Cannot create the data directory {home} ({error.strerror}).", hint=Hint(HintKind.CHOOSE_HOME)) from error
    return home
