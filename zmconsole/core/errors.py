"""The one exception family for failures a person can act on.

Every error says what happened and, where there is one, what to do about it. The core does not know who
reads it: a person at the command line runs ``zmconsole ca init``, one at the console opens a menu. So
advice that depends on the front end is not written into the message; it travels as a :class:`Hint`, a
kind of fix with what it is about, and each front end (``zmconsole/cli/errors.py``,
``zmconsole/gui/errors.py``) puts it in its own words in its one error-translation module. ``str(error)``
is the front-end-neutral message alone, for logs and the provisioning service's answers.
Subclasses exist only where a front end must react differently.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class HintKind(enum.Enum):
    """A fix whose words depend on the front end (a command and its flags, or a menu path)."""

    CREATE_CA = "create-ca"  # there is no CA yet: create or import one
    CHOOSE_HOME = "choose-home"  # the data directory cannot be used (or is taken): use another one
    FIND_DEVICE = "find-device"  # an unknown device ID: look it up in the device list
    ISSUE_CERTIFICATE = "issue-certificate"  # the device has no certificate yet: issue one (subject: device ID)
    LISTEN_ADDRESS = "listen-address"  # a listener cannot bind: another address (subject: "https" or "http")
    REPLACE_FILE = "replace-file"  # an output file exists: it is replaced only when asked to
    DELIVER_HELD_KEY = "deliver-held-key"  # the console still holds the key: export it (subject: device ID)
    EXPORT_CERTIFICATE = "export-certificate"  # the certificate file is missing: export it (subject: device ID)
    SIGN_IN = "sign-in"  # the store has operators: sign in (subject: the operator, when one was named)


#: The provisioning service's two listeners, as a LISTEN_ADDRESS hint names them.
HTTPS_LISTENER, HTTP_LISTENER = "https", "http"


@dataclass(frozen=True)
class Hint:
    """What to do, as data: the kind of fix and what it applies to (a device ID, a listener; may be empty)."""

    kind: HintKind
    subject: str = ""


class ZmError(Exception):
    """A failure the user can do something about; ``str()`` is the message, ``hint`` the fix left to say."""

    #: Process exit status the CLI uses for this kind of failure.
    exit_code: int = 1
    hint: Hint | None = None

    def __init__(self, message: str, *, hint: Hint | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class NotFoundError(ZmError):
    """The named device, certificate or CA does not exist."""


class ConflictError(ZmError):
    """The request contradicts the current state (already active, already revoked...)."""


class PolicyError(ZmError):
    """A CSR, subject, key or name breaks the site policy; lists every violation."""

    def __init__(self, what: str, violations: Sequence[str], fix: str) -> None:
        self.violations = list(violations)
        listed = "; ".join(self.violations)
        super().__init__(f"{what} was refused: {listed}. {fix}")


class InputError(ZmError):
    """A file or value given by the user cannot be read or parsed."""


class WrongPassphraseError(ZmError):
    """The CA passphrase (or a key password) did not open the key."""


class TokenError(ZmError):
    """The PKCS#11 token holding the CA key stopped answering (removed, reinitialised): the CA is locked."""

    exit_code = 3


class NotPermittedError(ZmError):
    """The signed-in operator's role does not allow the operation, or nobody is signed in on a store that has
    operators (``hint`` is then SIGN_IN): a front end offers its sign-in instead of a plain error."""

    exit_code = 4


class StoreError(ZmError):
    """The store is locked by another process, read-only, full or corrupt."""

    exit_code = 3


class IntegrityError(ZmError):
    """The audit chain or a stored object failed an integrity check."""

    exit_code = 2
