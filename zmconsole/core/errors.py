"""The one exception family for failures a person can act on.

Every message says what happened and what to do about it. Front ends (CLI, GUI,
service) catch :class:`ZmError` in exactly one place each and show ``str(error)``;
anything else is a bug and is reported as such, never as a raw traceback.
Subclasses exist only where a front end must react differently.
"""

from __future__ import annotations

from collections.abc import Sequence


class ZmError(Exception):
    """A failure the user can do something about; ``str()`` is the whole message."""

    #: Process exit status the CLI uses for this kind of failure.
    exit_code: int = 1


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


class LockedError(ZmError):
    """The CA key is locked; the caller must unlock it with the passphrase first."""


class StoreError(ZmError):
    """The store is locked by another process, read-only, full or corrupt."""

    exit_code = 3


class IntegrityError(ZmError):
    """The audit chain or a stored object failed an integrity check."""

    exit_code = 2
