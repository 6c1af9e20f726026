"""Reading passphrases and key passwords without ever taking them on the command line.

Order: ``--passphrase-file FILE``, then ``ZMCONSOLE_PASSPHRASE`` (for automation),
then an interactive prompt; a CA key in a PKCS#11 token takes the token's PIN the same way
(``--pkcs11-pin-file FILE``, ``ZMCONSOLE_PKCS11_PIN``, a prompt). Nothing here logs or echoes a secret.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from zmconsole.core.errors import InputError

PASSPHRASE_ENV = "ZMCONSOLE_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret
PIN_ENV = "ZMCONSOLE_PKCS11_PIN"  # the variable's name, not a PIN
OPERATOR_ENV = "ZMCONSOLE_OPERATOR"
OPERATOR_PASSWORD_ENV = "ZMCONSOLE_OPERATOR_PASSWORD"  # noqa: S105 - the variable's name, not a secret


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


def _from_file_env_or_prompt(secret_file: str | None, what: str, env_name: str | None, missing: str) -> str | None:
    """The secret from its file, then its environment variable; None when only a prompt is left."""
    if secret_file:
        return _read_secret_file(secret_file, what)
    env = os.environ.get(env_name) if env_name else None
    if env:
        return env
    if not sys.stdin.isatty():
        raise InputError(missing)
    return None


def ca_passphrase(passphrase_file: str | None, *, confirm: bool = False) -> str:
    """The CA passphrase from the file, the environment, or a prompt (twice when ``confirm``)."""
    given = _from_file_env_or_prompt(passphrase_file, "passphrase", PASSPHRASE_ENV, (
        "The CA passphrase is needed: use --passphrase-file FILE or set ZMCONSOLE_PASSPHRASE when running without "
        "a terminal."))
    if given is not None:
        return given
    first = getpass.getpass("CA passphrase: ")
    if confirm:
        second = getpass.getpass("CA passphrase again: ")
        if first != second:
            raise InputError("The two passphrases differ: run the command again and type the same one twice.")
    return first


def pkcs11_pin(pin_file: str | None, token: str) -> str:
    """A PKCS#11 token's user PIN: ``--pkcs11-pin-file FILE``, ``ZMCONSOLE_PKCS11_PIN``, or a prompt."""
    given = _from_file_env_or_prompt(pin_file, "PIN", PIN_ENV, (
        f"The PIN of the PKCS#11 token {token!r} is needed: use --pkcs11-pin-file FILE or set {PIN_ENV} when "
        "running without a terminal."))
    return given if given is not None else getpass.getpass(f"PIN of the PKCS#11 token {token!r}: ")


def operator_password(name: str, password_file: str | None) -> str:
    """The signing-in operator's password: ``--operator-password-file``, ZMCONSOLE_OPERATOR_PASSWORD, a prompt."""
    given = _from_file_env_or_prompt(password_file, "operator password", OPERATOR_PASSWORD_ENV, (
        f"The password of the operator {name} is needed: use --operator-password-file FILE or set "
        "ZMCONSOLE_OPERATOR_PASSWORD when running without a terminal."))
    return given if given is not None else getpass.getpass(f"Password of {name}: ")


def new_password(name: str, password_file: str | None, *, environment: bool = False) -> str:
    """A new operator password: from ``--password-file`` (or ``--admin-password-file``), else, with
    ``environment`` (the first admin of ``ca init --admin``), ZMCONSOLE_OPERATOR_PASSWORD, else a prompt twice."""
    where = " or set ZMCONSOLE_OPERATOR_PASSWORD" if environment else ""
    given = _from_file_env_or_prompt(password_file, "password", OPERATOR_PASSWORD_ENV if environment else None, (
        f"A new password for {name} is needed: give it in a file{where} when running without a terminal "
        "(--password-file FILE, or --admin-password-file FILE with ca init)."))
    if given is not None:
        return given
    first = getpass.getpass(f"New password for {name}: ")
    if getpass.getpass(f"New password for {name} again: ") != first:
        raise InputError("The two passwords differ: run the command again and type the same one twice.")
    return first


def key_password(key_password_file: str | None) -> str | None:
    """The password for exported keys, or None to let the caller make a random one to show once."""
    return _read_secret_file(key_password_file, "key password") if key_password_file else None
