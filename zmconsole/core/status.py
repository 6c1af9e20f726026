"""The statuses a certificate can have, and the groups every front end acts on (seed §2.2.1).

The status values are an interface: scripts and monitoring match on them (``device list --status``,
``check-expiry --json``), so they never change. The database computes which status a certificate has
(:func:`zmconsole.core.inventory.status_expression`); this module names the values and the groups, so that
"what needs action" or "what is critical" is decided here once and not in each view or command.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A certificate's status at a given instant; ``NONE`` for a device that has no certificate yet."""

    ACTIVE = "active"
    EXPIRING_90 = "expiring-90"  # within the warning threshold (90 days unless configured otherwise)
    EXPIRING_30 = "expiring-30"
    EXPIRING_7 = "expiring-7"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"  # renewed: its successor is the device's current certificate
    NOT_YET_VALID = "not-yet-valid"
    NONE = "none"

    @property
    def usable(self) -> bool:
        return self in USABLE

    @property
    def needs_action(self) -> bool:
        return self in NEEDS_ACTION

    @property
    def critical(self) -> bool:
        return self in CRITICAL


# The statuses a stored certificate can have, in the order lists and filters show them.
CERTIFICATE_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s is not Status.NONE)

# The expiry bands, furthest first: each names the threshold it crossed.
EXPIRING: tuple[Status, ...] = (Status.EXPIRING_90, Status.EXPIRING_30, Status.EXPIRING_7)

# Valid now or later, neither revoked nor replaced: the device holds a certificate, so a new one is refused
# (revoke or renew instead) and pairing is refused too.
USABLE: tuple[Status, ...] = (Status.ACTIVE, *EXPIRING, Status.NOT_YET_VALID)

# Crossed an alert threshold: renew it (the dashboard's "needs action", check-expiry's WARNING or worse).
NEEDS_ACTION: tuple[Status, ...] = (*EXPIRING, Status.EXPIRED)

# Within the last threshold or past it: check-expiry's CRITICAL.
CRITICAL: tuple[Status, ...] = (Status.EXPIRING_7, Status.EXPIRED)
