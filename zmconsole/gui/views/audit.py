"""The audit log page: a filterable table, "Verify integrity" with its result, and CSV export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import audit
from zmconsole.gui.i18n import arg
from zmconsole.gui.models.audit import AuditModel
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import BUTTON_HEIGHT, Banner, Kind, SearchBox, accessible, big_button, table_view


def action_filters() -> list[tuple[str, str]]:
    """(label, action prefix) choices; the prefixes are the core's action names."""
    translate = QCoreApplication.translate
    return [
        (translate("AuditPage", "All actions"), ""),
        (translate("AuditPage", "The CA (created, imported, wrong passphrases)"), "ca."),
        (translate("AuditPage", "Certificates (issued, renewed, revoked, exported)"), "cert."),
        (translate("AuditPage", "CRLs (signed, published)"), "crl."),
        (translate("AuditPage", "Keys (delivered, exported)"), "key."),
        (translate("AuditPage", "Settings"), "settings."),
        (translate("AuditPage", "Audit (exports)"), "audit."),
    ]


class AuditPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = AuditModel(session, self)
        self.report: audit.AuditReport | None = None

        self.search = SearchBox(self.tr("Search action, subject, user or details"), "auditSearch",
                                self.tr("Search the audit log"), self)
        self.search.search_requested.connect(self._searched)
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.action.setMinimumHeight(BUTTON_HEIGHT)
        accessible(self.action, self.tr("Show actions of kind"))
        for text, prefix in action_filters():
            self.action.addItem(text, prefix)
        self.action.currentIndexChanged.connect(
            lambda _i: self.model.set_filter(action_prefix=self.action.currentData()))

        self.verify = big_button(self.tr("&Verify integrity"), "verify", name="verifyAudit", parent=self)
        self.export = big_button(self.tr("&Export as CSV…"), "export", name="exportAudit", parent=self)
        self.verify.clicked.connect(self.verify_chain)
        self.export.clicked.connect(self.export_csv)
        self.result = Banner(self)
        self.result.setObjectName("auditResult")

        self.table = table_view(self.model, "auditTable", self.tr("Audit log entries, newest first"), self,
                                (60, 150, 90, 150, 200))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count = QLabel(self)
        self.model.loaded.connect(lambda: self.count.setText(arg(self.tr("%1 entries shown"),
                                                                 f"{self.model.total:,}")))

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.action, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.verify)
        buttons.addWidget(self.export)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        session.data_changed.connect(self.refresh)

    def refresh(self) -> None:
        self.model.refresh()

    def _searched(self, text: str) -> None:
        if text != self.model.search:
            self.model.set_filter(search=text)

    def verify_chain(self) -> None:
        """Walk the whole hash chain in a worker and show what it found."""
        self.verify.setEnabled(False)
        store = self.session.store
        self.session.tasks.start(lambda _job: audit.verify(store), done=self._verified, owner=self)

    def _verified(self, report: audit.AuditReport) -> None:
        self.verify.setEnabled(True)
        self.report = report
        if report.ok:
            self.result.show_message(Kind.OK, arg(self.tr(
                "The audit chain is intact: %1 entries, none changed, deleted or reordered. Head hash %2 — copy it "
                "somewhere outside this computer to anchor the chain."), report.entries, report.head))
        else:
            found = report.damage + report.problems
            problems = "\n".join(f"• {p}" for p in found)
            self.result.show_message(Kind.ERROR, arg(self.tr(
                "The audit chain is broken (%1 problems). Treat the store as tampered with and restore it from a "
                "backup:\n%2"), len(found), problems))

    def export_csv(self) -> None:
        path = self.session.files.save_file(self, self.tr("Export the audit log"), "audit-log.csv",
                                            self.tr("CSV files (*.csv)"))
        if path is None:
            return
        store = self.session.store
        # The save dialog asked before replacing a file.
        self.session.tasks.start(lambda _job: (audit.export_csv(store, path, force=True), path), done=self._exported,
                                 owner=self)

    def _exported(self, result: tuple[int, Path]) -> None:
        written, path = result
        self.result.show_message(Kind.OK, arg(self.tr("%1 audit entries written to %2."), written, path))
        self.session.data_changed.emit()  # the export itself is audited
