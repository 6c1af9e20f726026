"""How the console words a pairing's state: the live status on the pairing page and the line in a device's details.

Each state has a sentence, a hint that says what to do, and a status icon of its own shape (the status icons of
:mod:`.statuses`), so colour is never the only cue. The core's ``PairingStatus.label`` is the English for logs and
the CLI; these are the translatable words for people at the console (context ``PairingPage``, written out in
full at each call so that ``pyside6-lupdate`` extracts them).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Qca

from zmconsole.core.pairing import tickets
from zmconsole.core.pairing.protocol import MAX_CODE_ATTEMPTS
from zmconsole.core.pairing.state import PairingState
from zmconsole.gui.i18n import arg


def describe(status: tickets.PairingStatus | None, *, locked_out: bool = False,
             cancelled_here: bool = False) -> tuple[str, str, str]:
    """``(status icon name, status sentence, what to do)`` for a pairing on screen.

    ``locked_out``: the console cancelled the pairing because it locked itself; ``cancelled_here``: the operator
    pressed Cancel. A cancel is a choice, not a failure: it gets a neutral icon and no "Failed".
    """
    if status is None:
        return ("expired", Qca.translate("PairingPage", "Failed: this pairing no longer exists"),
                Qca.translate("PairingPage", "Press New code to start again."))
    if status.outcome == "paired":
        return ("active", Qca.translate("PairingPage", "Paired ✓"),
                Qca.translate("PairingPage", "The monitor has its certificate. Let it run its connection test, "
                                             "then press Done."))
    if status.outcome == "failed" and status.state == PairingState.CANCELLED:
        return ("none", *_cancelled(locked_out, cancelled_here))
    if status.outcome == "failed":
        return ("expired", *_failure(status))
    if status.state == PairingState.ISSUING:
        return ("not-yet-valid", Qca.translate("PairingPage", "The monitor proved the code: issuing its certificate…"),
                "")
    if status.failures:
        return ("expiring-7", Qca.translate("PairingPage", "Waiting for the device… A wrong pairing code was typed."),
                arg(Qca.translate("PairingPage", "Attempts left before this code stops working: %1. Check the "
                                                 "digits on this screen."), status.remaining_attempts))
    return ("not-yet-valid", Qca.translate("PairingPage", "Waiting for the device…"),
            Qca.translate("PairingPage", "On the monitor: scan this QR code, check that it shows the same CA "
                                         "fingerprint, then type the pairing code."))


def _cancelled(locked_out: bool, cancelled_here: bool) -> tuple[str, str]:
    if locked_out:
        return (Qca.translate("PairingPage", "Cancelled: the console locked itself"),
                Qca.translate("PairingPage", "A pairing code must not stay on an unattended screen. Press New code "
                                             "(the console asks for the CA passphrase) to start again."))
    if cancelled_here:
        return (Qca.translate("PairingPage", "Cancelled"),
                Qca.translate("PairingPage", "The code no longer works. Press New code if the monitor still needs "
                                             "its certificate, or Done."))
    return (Qca.translate("PairingPage", "Cancelled: replaced by a newer code"),
            Qca.translate("PairingPage", "Another code was made for this device (here or on another console). "
                                         "Press New code if the monitor still needs its certificate."))


def _failure(status: tickets.PairingStatus) -> tuple[str, str]:
    if status.state == PairingState.BURNED:
        return (arg(Qca.translate("PairingPage", "Failed: the code was typed wrong %1 times"),
                    MAX_CODE_ATTEMPTS),
                Qca.translate("PairingPage", "This code no longer works, so nobody can keep guessing it. If that "
                                             "was not a typing mistake at the monitor, someone else may have tried "
                                             "it. Press New code, and type the digits carefully."))
    if status.state == PairingState.EXPIRED:
        return (Qca.translate("PairingPage", "Failed: the pairing code expired"),
                Qca.translate("PairingPage", "The monitor did not fetch its certificate in time. Press New code "
                                             "and scan again."))
    return (Qca.translate("PairingPage", "Failed: this pairing ended"),
            Qca.translate("PairingPage", "Press New code if the monitor still needs its certificate."))


def pairing_summary(status: tickets.PairingStatus) -> str:
    """One line on a device's latest QR pairing, for its details: pending, paired, or why it failed."""
    if status.outcome == "pending":
        return arg(Qca.translate("PairingPage", "Pairing pending (the code is valid until %1 UTC)"),
                   f"{status.expires_at:%Y-%m-%d %H:%M}")
    when = f"{status.finished_at or status.expires_at:%Y-%m-%d %H:%M}"
    if status.outcome == "paired":
        return arg(Qca.translate("PairingPage", "Paired with a QR code on %1 UTC"), when)
    reasons = {PairingState.BURNED: Qca.translate("PairingPage", "the code was typed wrong too often"),
               PairingState.EXPIRED: Qca.translate("PairingPage", "the code expired")}
    return arg(Qca.translate("PairingPage", "Last pairing failed on %1 UTC: %2"), when,
               reasons.get(status.state) or Qca.translate("PairingPage", "cancelled"))
