"""Asking for the CA passphrase, once per session, at the moment something must be signed.

A CA whose key is in a PKCS#11 token asks for the token's PIN instead; the core takes either as the secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import ca
from zmconsole.core.errors import NotFoundError
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, busy_bar
from zmconsole.gui.workers import Job

T = TypeVar("T")


class UnlockDialog(QDialog):
    """The passphrase prompt; opening the key (a slow KDF on purpose) runs off the GUI thread."""

    unlocked = Signal(object)  # the UnlockedCa

    def __init__(self, session: Session, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("unlockDialog")
        self.setWindowTitle(self.tr("Unlock the CA"))
        self.setMinimumWidth(480)
        info = session.ca_info
        self.token = info.token.token if info is not None and info.token is not None else None
        if self.token is None:
            text = self.tr("Enter the passphrase of the platform CA (%1) to sign with it. The CA is locked again "
                           "after %2 minutes without use.")
        else:
            text = self.tr("The key of the platform CA (%1) is in the PKCS#11 token “%3”: connect the token and "
                           "enter its PIN to sign with it. The CA is locked again after %2 minutes without use.")
        intro = QLabel(arg(text, info.subject if info else "", session.settings.idle_lock_minutes, self.token),
                       self)
        intro.setWordWrap(True)
        self.reason = QLabel(reason, self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(reason))
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        accessible(self.passphrase, self.tr("CA passphrase") if self.token is None else self.tr("Token PIN"))
        self.message = Banner(self)
        self.busy = busy_bar(self)
        form = QFormLayout()
        form.addRow(self.tr("&Passphrase:") if self.token is None else self.tr("&PIN:"), self.passphrase)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.unlock_button = self.buttons.addButton(self.tr("&Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unlock_button.setDefault(True)
        self.buttons.accepted.connect(self._unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()
        self.adjustSize()

    def _unlock(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.message.show_message(Kind.ERROR, self.tr("Type the CA passphrase first.") if self.token is None
                                      else self.tr("Type the token's PIN first."))
            self.adjustSize()
            return
        self._working(True)
        store, now = self.session.store, self.session.now()
        self.session.tasks.start(lambda _job: ca.unlock(store, secret, now=now), done=self._opened,
                                 failed=self._refused, owner=self)

    def _working(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _opened(self, unlocked: ca.UnlockedCa) -> None:
        self._working(False)
        self.session.set_unlocked(unlocked)
        self.accept()
        self.unlocked.emit(unlocked)

    def _refused(self, error: BaseException) -> None:
        self._working(False)
        if self.session.errors.show_in(self, self.message, error):
            self.adjustSize()  # make room for the message
            self.passphrase.clear()
            self.passphrase.setFocus()


def request_ca(parent: QWidget, session: Session, then: Callable[[ca.UnlockedCa], None], reason: str = "") -> None:
    """Call ``then(unlocked_ca)`` now if the CA is open, else after the operator unlocks it (or never)."""
    if session.ca_info is None:
        session.errors.show(parent, NotFoundError(parent.tr(
            "There is no platform CA yet: set one up first (CA menu, Set up the CA…).")))
        return
    if session.unlocked is not None:
        then(session.unlocked)
        return
    dialog = UnlockDialog(session, parent, reason)
    dialog.unlocked.connect(then)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()


def run_with_ca(parent: QWidget, session: Session, work: Callable[[ca.UnlockedCa, Job], T],
                done: Callable[[T], None], *, reason: str = "",
                progress: Callable[[int, int, str], None] | None = None) -> None:
    """Unlock if needed, then run ``work(ca, job)`` in the pool and call ``done(result)`` in the GUI thread."""
    def start(unlocked: ca.UnlockedCa) -> None:
        session.tasks.start(lambda job: work(unlocked, job), done=done, owner=parent, progress=progress)

    request_ca(parent, session, start, reason)
