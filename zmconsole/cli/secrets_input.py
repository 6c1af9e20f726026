"""Reading passphrases and key passwords without ever taking them on the command line.

Order: ``--passphrase-file FILE``, then ``ZMCONSOLE_PASSPHRASE`` (for automation),
then an interactive prompt. Nothing here logs or echoes a secret.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from zmconsole.core.errors import InputError

PASSPHRASE_ENV = "ZMCONSOLE_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret


def _read_secret_file(path: str, what: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"Cannot read the {what} file {path} ({error.strerror}): check the path.") from error
    except UnicodeDecodeError:
        raise InputError(f"The {what} file {path} is not UTF-8 text: save the {what} as UTF-8 (plain text) and try "
                         "again.") from None
    secret = text.rstrip("\r\n")
    if not secret:
        raise InputError(f"The {what} file {path} is empty: put the {what} on its first line.")
    return secret


def ca_passphrase(passphrase_file: str | None, *, confirm: bool = False) -> str:
    """The CA passphrase from the file, the environment, or a prompt (twice when ``confirm``)."""
    if passphrase_file:
        return _read_secret_file(passphrase_file, "passphrase")
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise InputError("The CA passphrase is needed: use --passphrase-file FILE or set ZMCONSOLE_PASSPHRASE "
                         "when running without a terminal.")
    first = getpass.getpass("CA passphrase: ")
    if confirm:
        second = getpass.getpass("CA passphrase again: ")
        if first != second:
            raise InputError("The two passphrases differ: run the command again and type the same one twice.")
    return first


def key_password(key_password_file: str | None) -> str | None:
    """The password for exported keys, or None to let the caller make a random one to show once."""
    return _read_secret_file(key_password_file, "key password") if key_password_file else None
