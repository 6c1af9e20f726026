"""How the console names and tints the core's statuses and revocation reasons.

The words are the user's (the seed's "Lost, Compromised, Decommissioned"), the
keys are the core's. Every status has a label, an icon of its own shape and a
tint: colour is never the only cue.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from zmconsole.core.settings import Settings
from zmconsole.core.status import Status

# The mid-tone colours of the status icons; tables use them as a light tint behind the text.
_COLORS: dict[str, str] = {
    Status.ACTIVE: "#2e7d32", Status.EXPIRING_90: "#9a7b00", Status.EXPIRING_30: "#c25e00",
    Status.EXPIRING_7: "#d03a1b", Status.EXPIRED: "#b3261e", Status.REVOKED: "#6a3d9a",
    Status.SUPERSEDED: "#5f6b73", Status.NOT_YET_VALID: "#1f5fa8",
}


def status_label(status: str, settings: Settings | None = None) -> str:
    """The word a person reads for a status; the expiry bands name the configured thresholds."""
    warn, soon, urgent = (settings or Settings()).thresholds
    translate = QCoreApplication.translate
    labels: dict[str, str] = {
        Status.ACTIVE: translate("Status", "Active"),
        Status.EXPIRING_90: translate("Status", "Expires within %n days", "", warn),
        Status.EXPIRING_30: translate("Status", "Expires within %n days", "", soon),
        Status.EXPIRING_7: translate("Status", "Expires within %n days", "", urgent),
        Status.EXPIRED: translate("Status", "Expired"),
        Status.REVOKED: translate("Status", "Revoked"),
        Status.SUPERSEDED: translate("Status", "Superseded (renewed)"),
        Status.NOT_YET_VALID: translate("Status", "Not yet valid (check the clock)"),
    }
    return labels.get(status, translate("Status", "No certificate"))


def short_status_label(status: str, settings: Settings | None = None) -> str:
    """A compact label for table cells and dashboard tiles."""
    warn, soon, urgent = (settings or Settings()).thresholds
    translate = QCoreApplication.translate
    labels: dict[str, str] = {
        Status.EXPIRING_90: translate("Status", "≤ %n days", "", warn),
        Status.EXPIRING_30: translate("Status", "≤ %n days", "", soon),
        Status.EXPIRING_7: translate("Status", "≤ %n days", "", urgent),
        Status.SUPERSEDED: translate("Status", "Superseded"),
        Status.NOT_YET_VALID: translate("Status", "Not yet valid"),
    }
    return labels.get(status) or status_label(status, settings)


def status_color(status: str) -> QColor:
    return QColor(_COLORS.get(status, "#7a7a7a"))


def status_tint(status: str) -> QColor:
    """A translucent version of the status colour: readable under dark or light text."""
    color = status_color(status)
    color.setAlpha(48)
    return color


def kind_label(kind: str) -> str:
    """What a certificate is for: the core's kinds (device, server, signer) and the CA itself."""
    translate = QCoreApplication.translate
    return {"device": translate("Kind", "Device"), "ca": translate("Kind", "Platform CA"),
            "server": translate("Kind", "Server"), "signer": translate("Kind", "Signer")}.get(kind, kind)


# The reasons a person picks from when revoking, in the seed's words (§2.3), mapped to the core's keys.
REASONS = ("lost", "compromised", "decommissioned")


def reason_label(reason: str) -> str:
    translate = QCoreApplication.translate
    return {
        "lost": translate("Reason", "Lost"),
        "compromised": translate("Reason", "Compromised"),
        "decommissioned": translate("Reason", "Decommissioned"),
        "superseded": translate("Reason", "Superseded"),
    }.get(reason, reason)


def reason_help(reason: str) -> str:
    translate = QCoreApplication.translate
    return {
        "lost": translate("Reason", "The monitor cannot be found; whoever has it has its key."),
        "compromised": translate("Reason", "The monitor or its key may be in the wrong hands or tampered with."),
        "decommissioned": translate("Reason", "The monitor is retired from service and will not connect again."),
    }.get(reason, "")
