"""Revoking by clicking: name the devices, pick the reason in the seed's words, confirm."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QMenu,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.statuses import REASONS, reason_help, reason_label
from zmconsole.gui.widgets import accessible

ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)


class ReasonButton(QRadioButton):
    """A reason. Qt's arrow keys only move the focus while no reason is checked; here the first arrow checks the
    focused reason, and the next ones move the choice, so the keyboard alone picks a reason."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        group = self.group()
        if event.key() in ARROWS and group is not None and group.checkedButton() is None:
            self.setChecked(True)
            event.accept()
            return
        super().keyPressEvent(event)


class RevokeDialog(QDialog):
    """The confirmation: the devices by name (with ward and location when known), a reason that must be chosen
    (or the one picked in a context menu), Cancel as the default."""

    def __init__(self, device_ids: Sequence[str], parent: QWidget | None = None, *,
                 chosen: str | None = None, places: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.device_ids = list(device_ids)
        places = places or {}
        named = [f"{d} — {places[d]}" if places.get(d) else d for d in self.device_ids]
        self.setObjectName("revokeDialog")
        self.setWindowTitle(self.tr("Revoke certificates"))
        self.setMinimumWidth(560)
        count = len(self.device_ids)
        intro = QLabel(arg(self.tr("Revoke the certificates of these %1 devices? Each is refused at its next "
                                   "connection once the new CRL is published. This cannot be undone."), count)
                       if count != 1 else
                       arg(self.tr("Revoke the certificate of %1? It is refused at its next connection once the "
                                   "new CRL is published. This cannot be undone."), named[0]), self)
        intro.setWordWrap(True)
        self.names = QListWidget(self)
        self.names.setObjectName("revokeNames")
        self.names.addItems(named)
        self.names.setMaximumHeight(120)
        accessible(self.names, self.tr("Devices to revoke"), "; ".join(named))
        box = QGroupBox(self.tr("Reason"), self)
        reasons = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.buttons_by_reason: dict[str, QRadioButton] = {}
        for reason in REASONS:
            button = ReasonButton(f"{reason_label(reason)} — {reason_help(reason)}", box)
            button.setObjectName(f"reason-{reason}")
            accessible(button, reason_label(reason), reason_help(reason))
            self.group.addButton(button)
            self.buttons_by_reason[reason] = button
            reasons.addWidget(button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.revoke_button = self.buttons.addButton(
            arg(self.tr("&Revoke %1"), ", ".join(self.device_ids) if count <= 3 else arg(self.tr("%1 devices"), count)),
            QDialogButtonBox.ButtonRole.DestructiveRole)
        self.revoke_button.setIcon(icon("revoke"))
        self.revoke_button.setEnabled(False)
        self.revoke_button.setObjectName("confirmRevoke")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.group.buttonToggled.connect(lambda *_: self.revoke_button.setEnabled(self.reason is not None))
        self.revoke_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Wide enough for the longest reason (a radio button does not wrap; a cut reason was seen).
        widest = max(button.sizeHint().width() for button in self.buttons_by_reason.values())
        self.setMinimumWidth(max(560, widest + 60))
        if chosen in self.buttons_by_reason:
            self.buttons_by_reason[chosen].setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.names)
        layout.addWidget(box)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """The focus starts on the reason, so the arrow keys choose one at once."""
        super().showEvent(event)
        chosen = self.group.checkedButton() or self.buttons_by_reason[REASONS[0]]
        chosen.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def reason(self) -> str | None:
        return next((r for r, b in self.buttons_by_reason.items() if b.isChecked()), None)


def add_revoke_reasons(menu: QMenu, enabled: bool, chosen: Callable[[str], None]) -> list[QAction]:
    """The context menu's "Revoke: <reason>…" entries: a lost device is two clicks from its row, and the
    confirmation that follows has the reason chosen already."""
    actions = []
    for reason in REASONS:
        action = menu.addAction(icon("revoke"), arg(menu.tr("Revoke: %1…"), reason_label(reason).lower()))
        action.setObjectName(f"revoke-{reason}")
        action.setEnabled(enabled)
        action.triggered.connect(lambda _checked=False, r=reason: chosen(r))
        actions.append(action)
    return actions
