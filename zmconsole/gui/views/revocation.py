"""The revocation page: the current CRL, publishing it, and the list of revoked devices."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import exports, revocation
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.crl_policy import CrlState, SignedCrl, crl_state, sign_and_publish
from zmconsole.core.errors import ZmError
from zmconsole.core.status import Status
from zmconsole.gui.dialogs.unlock import run_with_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.models.devices import DevicesModel
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, big_button, table_view
from zmconsole.gui.workers import Job


class RevocationPage(QWidget):
    settings_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.crl: revocation.CrlInfo | None = None

        self.number = QLabel(self)
        self.number.setObjectName("crlNumber")
        self.this_update = QLabel(self)
        self.next_update = QLabel(self)
        self.entries = QLabel(self)
        self.entries.setObjectName("crlEntries")
        self.folder = QLabel(self)
        self.folder.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("CRL number:"), self.number)
        form.addRow(self.tr("This update (UTC):"), self.this_update)
        form.addRow(self.tr("Next update (UTC):"), self.next_update)
        form.addRow(self.tr("Revoked certificates listed:"), self.entries)
        form.addRow(self.tr("Publish folder:"), self.folder)
        box = QGroupBox(self.tr("Current certificate revocation list"), self)
        box.setLayout(form)

        self.message = Banner(self)
        self.regenerate = big_button(self.tr("&Regenerate CRL now"), "refresh", name="regenerateCrl", parent=self)
        self.publish = big_button(self.tr("&Publish CRL"), "publish", name="publishCrl", parent=self)
        self.save_as = big_button(self.tr("Save CRL &as…"), "export", name="saveCrl", parent=self)
        self.change_folder = big_button(self.tr("Change publish &folder…"), "settings", parent=self)
        self.regenerate.clicked.connect(self.regenerate_crl)
        self.publish.clicked.connect(self.publish_crl)
        self.save_as.clicked.connect(self.save_crl)
        self.change_folder.clicked.connect(self.settings_requested.emit)
        buttons = QHBoxLayout()
        for button in (self.regenerate, self.publish, self.save_as, self.change_folder):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.revoked = DevicesModel(session, self, revoked=True)
        self.revoked.status = (Status.REVOKED,)
        self.table = table_view(self.revoked, "revokedTable", self.tr("Revoked devices"), self,
                                (90, 100, 120, 110, 140, 150))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        revoked_box = QGroupBox(self.tr("Revoked devices"), self)
        QVBoxLayout(revoked_box).addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(revoked_box, 1)
        session.data_changed.connect(self.refresh)
        session.settings_changed.connect(self.refresh)

    def refresh(self) -> None:
        """Show the newest CRL (one small query) and reload the revoked list."""
        self.folder.setText(self.session.settings.crl_publish_dir or self.tr("(not set: choose one in Settings)"))
        if self.session.ca_info is None:
            return
        self.crl = revocation.latest_crl(self.session.store)
        if self.crl is None:
            for label in (self.number, self.this_update, self.next_update, self.entries):
                label.setText(self.tr("none yet"))
        else:
            state = crl_state(self.session.store, self.crl, now=self.session.now())
            self.number.setText(str(self.crl.number))
            self.this_update.setText(f"{self.crl.this_update:%Y-%m-%d %H:%M}")
            self.next_update.setText(f"{self.crl.next_update:%Y-%m-%d %H:%M}" + self._state_words(state))
            self.entries.setText(str(self.crl.entries))
        self.save_as.setEnabled(self.crl is not None)
        self.revoked.refresh()

    def _state_words(self, state: CrlState) -> str:
        return {CrlState.EXPIRED: self.tr(" — overdue: publish a new CRL"),
                CrlState.DUE: self.tr(" — a day old: publish a new CRL"),
                CrlState.BEHIND: self.tr(" — misses a recent revocation: publish a new CRL")}.get(state, "")

    def regenerate_crl(self) -> None:
        store, now = self.session.store, self.session.now()

        def work(unlocked: UnlockedCa, _job: Job) -> SignedCrl:
            return sign_and_publish(store, unlocked, now=now)

        run_with_ca(self, self.session, work, self._signed, reason=self.tr("Signing a new CRL needs the CA key."))

    def publish_crl(self) -> None:
        """Regenerating publishes too, where a folder is set; this says "no folder" before the passphrase."""
        try:
            revocation.publish_folder(self.session.settings.crl_publish_dir)
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        self.regenerate_crl()

    def _signed(self, signed: SignedCrl) -> None:
        crl, publication = signed.crl, signed.publication
        self.session.data_changed.emit()
        if publication.error is not None:
            self.message.show_message(Kind.ERROR, arg(self.tr("CRL %1 signed with %2 entries, but not published: %3"),
                                                      crl.number, crl.entries,
                                                      self.session.errors.message(publication.error)))
        elif publication.published:
            self.message.show_message(Kind.OK, arg(self.tr("CRL %1 (%2 entries) published as %3."), crl.number,
                                                   crl.entries, " ".join(str(p) for p in publication.files)))
        else:
            self.message.show_message(Kind.OK, arg(self.tr("CRL %1 signed with %2 entries."), crl.number,
                                                   crl.entries))

    def save_crl(self) -> None:
        if self.crl is None:
            return
        path = self.session.files.save_file(self, self.tr("Save the CRL"), f"crl-{self.crl.number}.pem",
                                            self.tr("PEM (*.pem *.crl);;DER (*.der)"))
        if path is None:
            return
        data = self.crl.der if path.suffix.lower() == ".der" else self.crl.pem
        try:
            exports.write_file(path, data, force=True)  # the save dialog asked before replacing
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        self.message.show_message(Kind.OK, arg(self.tr("CRL %1 saved to %2."), self.crl.number, path))
