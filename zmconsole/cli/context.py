"""What every command needs: the data directory, the store, the settings, the unlocked CA.

Each is imported and opened on first use, not when the parser is built: ``zmconsole --help`` opens no store
and imports no SQLAlchemy, and the monitoring check never loads the CA code.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zmconsole.cli import secrets_input
from zmconsole.core import paths

if TYPE_CHECKING:
    from zmconsole.core import ca
    from zmconsole.core.settings import Settings
    from zmconsole.core.store import Store


@dataclass
class Context:
    home_arg: str | None
    passphrase_file: str | None
    pkcs11_pin_file: str | None = None
    operator: str | None = None  # --operator NAME or ZMCONSOLE_OPERATOR
    operator_password_file: str | None = None
    _store: Store | None = field(default=None, repr=False)
    _unlocked: ca.UnlockedCa | None = field(default=None, repr=False)

    @property
    def home(self) -> Path:
        return paths.resolve_home(self.home_arg)

    @property
    def store(self) -> Store:
        from zmconsole.core.store import Store

        if self._store is None:
            store = Store.open(paths.ensure_home(self.home))
            try:
                self._sign_in(store)
            except BaseException:
                store.dispose()
                raise
            self._store = store
        return self._store

    def _sign_in(self, store: Store) -> None:
        """Sign in the operator named by --operator or ZMCONSOLE_OPERATOR; on a store without operators the
        name is not needed and is ignored (a single-person site works as before operators existed)."""
        from zmconsole.core import roles

        if not self.operator or not roles.has_operators(store):
            return
        from zmconsole.core import operators

        operators.sign_in(store, self.operator, secrets_input.operator_password(self.operator,
                                                                                self.operator_password_file))

    def settings(self) -> Settings:
        from zmconsole.core.settings import load

        return load(self.store)

    def unlock(self) -> ca.UnlockedCa:
        """The CA, unlocked once per process with the passphrase (or, for a key in a PKCS#11 token, the
        token's PIN) from file, environment or prompt."""
        from zmconsole.core import ca  # not for the commands that need no CA key (the monitoring check)

        if self._unlocked is None:
            from zmconsole.core import roles

            info = ca.require(self.store)  # say "no CA" before asking for a passphrase
            roles.require(self.store, roles.Operation.CA_UNLOCK)  # and "not your role" too
            secret = (secrets_input.pkcs11_pin(self.pkcs11_pin_file, info.token.token) if info.token is not None
                      else secrets_input.ca_passphrase(self.passphrase_file))
            self._unlocked = ca.unlock(self.store, secret)
        return self._unlocked

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


def info(message: str) -> None:
    """Progress and notes go to stderr, so stdout stays clean for --json and pipes."""
    print(message, file=sys.stderr)
