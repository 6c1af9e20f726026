"""Revoking by clicking: name the devices, pick the reason in the seed's words, confirm."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.statuses import REASONS, reason_help, reason_label
from zmconsole.gui.widgets import accessible


class RevokeDialog(QDialog):
    """The confirmation: the devices by name, a reason that must be chosen, Cancel as the default."""

    def __init__(self, device_ids: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.device_ids = list(device_ids)
        self.setObjectName("revokeDialog")
        self.setWindowTitle(self.tr("Revoke certificates"))
        self.setMinimumWidth(560)
        count = len(self.device_ids)
        intro = QLabel(arg(self.tr("Revoke the certificates of these %1 devices? Each is refused at its next "
                                   "connection once the new CRL is published. This cannot be undone."), count)
                       if count != 1 else
                       arg(self.tr("Revoke the certificate of %1? It is refused at its next connection once the "
                                   "new CRL is published. This cannot be undone."), self.device_ids[0]), self)
        intro.setWordWrap(True)
        self.names = QListWidget(self)
        self.names.setObjectName("revokeNames")
        self.names.addItems(self.device_ids)
        self.names.setMaximumHeight(120)
        accessible(self.names, self.tr("Devices to revoke"), ", ".join(self.device_ids))
        box = QGroupBox(self.tr("Reason"), self)
        reasons = QVBoxLayout(box)
        self.group = QButtonGroup(self)
        self.buttons_by_reason: dict[str, QRadioButton] = {}
        for reason in REASONS:
            button = QRadioButton(f"{reason_label(reason)} — {reason_help(reason)}", box)
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
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.names)
        layout.addWidget(box)
        layout.addWidget(self.buttons)

    @property
    def reason(self) -> str | None:
        return next((r for r, b in self.buttons_by_reason.items() if b.isChecked()), None)
