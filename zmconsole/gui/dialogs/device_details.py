"""One device: its current certificate's fields, the history of its certificates, and its audit entries."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import audit, inventory
from zmconsole.core.pairing import tickets
from zmconsole.core.status import Status
from zmconsole.gui.dialogs.certificate import ExportPanel, certificate_fields, fields_form
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon, status_icon
from zmconsole.gui.models.audit import audit_columns
from zmconsole.gui.models.columns import Column, date_text, optional, status_column, time_text
from zmconsole.gui.models.lists import ListTableModel
from zmconsole.gui.pairing_words import pairing_summary
from zmconsole.gui.session import Session
from zmconsole.gui.statuses import reason_label, status_label
from zmconsole.gui.widgets import big_button, table_view


class DeviceDetailsDialog(QDialog):
    renew_requested = Signal(str)
    revoke_requested = Signal(str)

    def __init__(self, session: Session, device_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.device_id = device_id
        self.setObjectName("deviceDetails")
        self.setWindowTitle(arg(self.tr("Device %1"), device_id))
        self.resize(860, 620)
        now = session.now()
        self.summary, self.history = inventory.device(session.store, session.settings, device_id, now=now)
        self.entries = audit.entries(session.store, subject=device_id)
        self.renewal = inventory.renewal(session.store, device_id, self.history)

        head = QHBoxLayout()
        glyph = QLabel(self)
        glyph.setPixmap(status_icon(self.summary.status).pixmap(32, 32))
        status_text = status_label(self.summary.status, session.settings)
        if self.summary.revocation_reason:
            status_text += f" ({reason_label(self.summary.revocation_reason)})"
        renews = (self.tr("Renews itself") if self.renewal.automatic else self.tr("Renewed from the console"))
        renewal_text = arg(self.tr("%1 · last renewed %2 · last confirmed %3"), renews,
                           time_text(self.renewal.last_renewed_at) if self.renewal.last_renewed_at else "—",
                           time_text(self.renewal.last_confirmed_at) if self.renewal.last_confirmed_at else "—")
        if self.renewal.failed_at is not None:
            renewal_text += " · " + arg(self.tr("last renewal refused %1 (%2)"), time_text(self.renewal.failed_at),
                                        self.renewal.failure or "")
        title = QLabel(f"<b>{device_id}</b> — {status_text}<br>"
                       f"{optional(self.summary.ward)} · {optional(self.summary.location)}<br>{renewal_text}", self)
        title.setObjectName("detailsTitle")
        title.setAccessibleName(f"{device_id}: {status_text}")
        head.addWidget(glyph)
        head.addWidget(title, 1)
        paired = tickets.status(session.store, device_id, now=now)
        if paired is not None:
            self.pairing_state = QLabel(pairing_summary(paired), self)
            self.pairing_state.setObjectName("detailsPairing")
            head.addWidget(self.pairing_state)

        self.tabs = QTabWidget(self)
        current = next((r for r in self.history if r.serial == self.summary.serial), None)
        certificate_tab = QWidget(self)
        column = QVBoxLayout(certificate_tab)
        if current is not None:
            column.addLayout(fields_form(certificate_fields(current), certificate_tab))
            self.export = ExportPanel(session, current, certificate_tab)
            column.addWidget(self.export)
        else:
            column.addWidget(QLabel(self.tr("This device has no certificate yet."), certificate_tab))
        column.addStretch(1)
        self.tabs.addTab(certificate_tab, icon("issue"), self.tr("&Certificate"))

        def revoked_text(record: inventory.CertificateRecord) -> str:
            if record.revoked_at is None:
                return "—"
            return f"{time_text(record.revoked_at)} ({reason_label(record.revocation_reason or '')})"

        self.history_model = ListTableModel([
            Column(self.tr("Serial"), lambda r: r.serial),
            status_column(self.tr("Status"), lambda r: r.status, lambda: session.settings),
            Column(self.tr("Issued (UTC)"), lambda r: time_text(r.issued_at)),
            Column(self.tr("Expires (UTC)"), lambda r: date_text(r.not_after)),
            Column(self.tr("Key"), lambda r: r.key_type),
            Column(self.tr("Key made"), lambda r: self.tr("here") if r.key_source == "generated"
                   else self.tr("on the device")),
            Column(self.tr("Revoked"), revoked_text),
            Column(self.tr("Made by"), lambda r: made_by_label(self, r.made_by)),
            Column(self.tr("Replaces"), lambda r: r.replaces or "—"),
            Column(self.tr("Valid until (grace, UTC)"), lambda r: time_text(r.grace_ends_at)
                   if r.status == Status.SUPERSEDED and r.grace_ends_at is not None else "—"),
            Column(self.tr("Confirmed (UTC)"), lambda r: time_text(r.confirmed_at) if r.confirmed_at else "—"),
        ], self.history, self)
        history = table_view(self.history_model, "historyTable", self.tr("Certificate history"), self)
        history.resizeColumnsToContents()
        self.tabs.addTab(history, icon("renew"),
                         arg(self.tr("&History (%1)"), len(self.history)))
        self.audit_model = ListTableModel(audit_columns(self), self.entries, self)
        entries = table_view(self.audit_model, "deviceAuditTable", self.tr("Audit entries for this device"), self,
                             (50, 140, 80, 110, 90))
        self.tabs.addTab(entries, icon("audit"),
                         arg(self.tr("&Audit (%1)"), len(self.entries)))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.renew = big_button(self.tr("&Renew…"), "renew", name="detailsRenew", parent=self)
        self.revoke = big_button(self.tr("Re&voke…"), "revoke", name="detailsRevoke", parent=self)
        status = self.summary.status
        self.renew.setEnabled(status not in (Status.REVOKED, Status.EXPIRED, Status.NONE))
        self.revoke.setEnabled(status not in (Status.REVOKED, Status.NONE))
        self.renew.clicked.connect(lambda: self._hand_over(self.renew_requested))
        self.revoke.clicked.connect(lambda: self._hand_over(self.revoke_requested))
        bottom = QHBoxLayout()
        bottom.addWidget(self.renew)
        bottom.addWidget(self.revoke)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _hand_over(self, signal: SignalInstance) -> None:
        self.accept()
        signal.emit(self.device_id)


def made_by_label(widget: QWidget, made_by: str) -> str:
    """How a certificate was made (protocol §7.7), in the console's words."""
    return {"paired": widget.tr("paired"), "renewed-by-device": widget.tr("renewed by the device"),
            "renewed-by-console": widget.tr("renewed from the console"), "issued": widget.tr("issued")
            }.get(made_by, made_by)
