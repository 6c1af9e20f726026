"""Issuing (or renewing) one device certificate: the request, then a result page with the exports.

The device ID is checked against the site policy as it is typed (the core's
``policy.check_device_id``); everything else the core checks when it issues,
and a refusal lists every problem at once. The key either comes from the
device as a CSR (loaded from a file or pasted) or is generated here and held,
sealed under the CA, until a PKCS#12 export delivers it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import inventory, issuance, keys, policy
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import InputError, NotFoundError, ZmError
from zmconsole.gui.dialogs.certificate import ExportPanel, certificate_fields, fields_form
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, busy_bar

KEY_TYPE_NAMES = {"rsa2048": "RSA 2048", "ec-p256": "EC P-256"}


class IssueDialog(QDialog):
    issued = Signal(object)  # the CertificateRecord

    def __init__(self, session: Session, parent: QWidget | None = None, *, device_id: str = "",
                 renew: bool = False) -> None:
        super().__init__(parent)
        self.session = session
        self.renew = renew
        self.record: inventory.CertificateRecord | None = None
        self.setObjectName("issueDialog")
        self.setWindowTitle(arg(self.tr("Renew the certificate of %1"), device_id) if renew
                            else self.tr("Issue a device certificate"))
        self.resize(720, 640)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._request_page(device_id))
        self.result_page = QWidget(self)
        QVBoxLayout(self.result_page)
        self.pages.addWidget(self.result_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._check_id()

    # --- the request ---------------------------------------------------------------------------------------

    def _request_page(self, device_id: str) -> QWidget:
        page = QWidget(self)
        self.device_id = QLineEdit(device_id, page)
        self.device_id.setObjectName("deviceId")
        self.device_id.setPlaceholderText(self.tr("as printed on the monitor, e.g. ZM-001"))
        self.device_id.setReadOnly(self.renew)
        accessible(self.device_id, self.tr("Device ID"))
        self.id_check = QLabel(page)
        self.id_check.setObjectName("deviceIdCheck")
        self.id_check.setWordWrap(True)
        self.device_id.textChanged.connect(self._check_id)
        self.ward = QLineEdit(page)
        self.ward.setObjectName("ward")
        self.ward.setPlaceholderText(self.tr("becomes the OU, e.g. ICU"))
        accessible(self.ward, self.tr("Ward"))
        self.location = QLineEdit(page)
        self.location.setObjectName("location")
        accessible(self.location, self.tr("Location"))
        if self.renew:
            self._prefill(device_id)
        self.days = QSpinBox(page)
        self.days.setObjectName("days")
        self.days.setRange(1, issuance.MAX_DAYS)
        self.days.setValue(self.session.settings.device_days)
        accessible(self.days, self.tr("Validity in days"))
        form = QFormLayout()
        form.addRow(self.tr("&Device ID:"), self.device_id)
        form.addRow("", self.id_check)
        form.addRow(self.tr("&Ward:"), self.ward)
        form.addRow(self.tr("&Location:"), self.location)
        form.addRow(self.tr("&Validity (days):"), self.days)

        key_box = QGroupBox(self.tr("Key"), page)
        self.mode_csr = QRadioButton(self.tr("The device made its key: use its &certificate request (CSR)"), key_box)
        self.mode_csr.setObjectName("modeCsr")
        self.mode_generate = QRadioButton(self.tr("&Generate the key on this console (delivered as PKCS#12)"),
                                          key_box)
        self.mode_generate.setObjectName("modeGenerate")
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.mode_csr)
        self.modes.addButton(self.mode_generate)
        self.mode_csr.setChecked(True)
        self.csr_text = QPlainTextEdit(key_box)
        self.csr_text.setObjectName("csrText")
        self.csr_text.setPlaceholderText(self.tr("Paste the CSR here (-----BEGIN CERTIFICATE REQUEST-----…), "
                                                 "or load it from a file."))
        self.csr_text.setTabChangesFocus(True)
        accessible(self.csr_text, self.tr("Certificate request text"))
        self.csr_bytes: bytes | None = None  # a DER CSR loaded from a file
        self.load_csr = QPushButton(self.tr("Load CSR from &file…"), key_box)
        self.load_csr.setObjectName("loadCsr")
        self.load_csr.clicked.connect(self._load_csr)
        self.key_type = QComboBox(key_box)
        self.key_type.setObjectName("keyType")
        for key_type in keys.LEAF_KEY_TYPES:
            self.key_type.addItem(KEY_TYPE_NAMES.get(key_type, key_type), key_type)
        accessible(self.key_type, self.tr("Key type"))
        csr_row = QHBoxLayout()
        csr_row.addWidget(self.load_csr)
        csr_row.addStretch(1)
        generate_row = QHBoxLayout()
        key_label = QLabel(self.tr("Key &type:"), key_box)
        key_label.setBuddy(self.key_type)
        generate_row.addWidget(key_label)
        generate_row.addWidget(self.key_type)
        generate_row.addStretch(1)
        key_layout = QVBoxLayout(key_box)
        key_layout.addWidget(self.mode_csr)
        key_layout.addWidget(self.csr_text)
        key_layout.addLayout(csr_row)
        key_layout.addWidget(self.mode_generate)
        key_layout.addLayout(generate_row)
        self.mode_csr.toggled.connect(self._mode_changed)
        self._mode_changed()

        self.message = Banner(page)
        self.busy = busy_bar(page)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, page)
        self.issue_button = self.buttons.addButton(self.tr("&Renew") if self.renew else self.tr("&Issue"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(key_box, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        return page

    def _prefill(self, device_id: str) -> None:
        try:
            summary, _ = inventory.device(self.session.store, self.session.settings, device_id)
        except NotFoundError:
            return
        self.ward.setText(summary.ward or "")
        self.location.setText(summary.location or "")

    def _mode_changed(self) -> None:
        csr = self.mode_csr.isChecked()
        self.csr_text.setEnabled(csr)
        self.load_csr.setEnabled(csr)
        self.key_type.setEnabled(not csr)

    def _check_id(self) -> bool:
        """Check the device ID against the site policy as it is typed; say why it is refused."""
        text = self.device_id.text().strip()
        if not text:
            self.id_check.setText(self.tr("Type the device ID."))
            return False
        try:
            policy.check_device_id(text, self.session.settings)
        except ZmError as error:
            self.id_check.setText("✗ " + self.session.errors.message(error))
            self.id_check.setAccessibleName(self.session.errors.message(error))
            return False
        message = self.tr("✓ Matches the site policy.")
        if not self.renew:
            try:
                summary, _ = inventory.device(self.session.store, self.session.settings, text)
            except NotFoundError:
                pass
            else:
                if summary.status.usable:
                    message = self.tr("⚠ This device already has a valid certificate: renew it from its details, "
                                      "or revoke it first.")
        self.id_check.setText(message)
        self.id_check.setAccessibleName(message)
        return True

    def _load_csr(self) -> None:
        path = self.session.files.open_file(self, self.tr("Load the device's certificate request"),
                                            self.tr("Certificate requests (*.csr *.pem *.der *.req);;All files (*)"))
        if path is None:
            return
        try:
            data = path.read_bytes()
            policy.load_csr(data)  # refuse garbage now, with the core's words
        except OSError as error:
            self.session.errors.show(self, InputError(arg(self.tr("Cannot read %1 (%2): check the file."),
                                                          path, error.strerror)))
            return
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        if b"-----BEGIN" in data:
            self.csr_bytes = None
            self.csr_text.setPlainText(data.decode("ascii", errors="replace"))
        else:
            self.csr_bytes = data
            self.csr_text.setPlainText(arg(self.tr("(binary DER request loaded from %1)"), Path(path).name))

    def _csr(self) -> bytes | None:
        if self.csr_bytes is not None:
            return self.csr_bytes
        text = self.csr_text.toPlainText().strip()
        return text.encode() if text else None

    # --- issuing -------------------------------------------------------------------------------------------

    def submit(self) -> None:
        if not self._check_id():
            self.device_id.setFocus()
            return
        csr = self._csr() if self.mode_csr.isChecked() else None
        if self.mode_csr.isChecked() and csr is None:
            self.message.show_message(Kind.ERROR, self.tr("Paste the device's CSR, load it from a file, or choose "
                                                          "to generate the key here."))
            return
        request_ca(self, self.session, lambda unlocked: self._issue(unlocked, csr),
                   self.tr("Signing a certificate needs the CA key."))

    def _issue(self, unlocked: UnlockedCa, csr: bytes | None) -> None:
        generate = None if csr is not None else self.key_type.currentData()
        device_id = self.device_id.text().strip()
        ward, location = self.ward.text().strip() or None, self.location.text().strip() or None
        days, renew = self.days.value(), self.renew
        store, settings, now = self.session.store, self.session.settings, self.session.now()

        def work(_job: object) -> tuple[inventory.CertificateRecord, tuple[str, ...]]:
            issued = issuance.issue_device(store, unlocked, device_id, csr=csr, generate=generate, ward=ward,
                                           location=location, days=days, hold_key=generate is not None,
                                           renew=renew, settings=settings, now=now)
            return inventory.certificate(store, settings, issued.serial, now=now), issued.ignored_names

        self.busy.show()
        self.issue_button.setEnabled(False)
        self.message.clear()
        self.session.tasks.start(work, done=self._issued, failed=self._refused, owner=self)

    def _refused(self, error: BaseException) -> None:
        self.busy.hide()
        self.issue_button.setEnabled(True)
        if isinstance(error, ZmError):
            self.message.show_message(Kind.ERROR, self.session.errors.message(error))
        self.session.errors.show(self, error)

    def _issued(self, result: tuple[inventory.CertificateRecord, tuple[str, ...]]) -> None:
        record, ignored = result
        self.busy.hide()
        self.record = record
        page = self.result_page
        layout = page.layout()
        assert isinstance(layout, QVBoxLayout)
        headline = QLabel(arg(self.tr("<b>%1</b> now has a certificate, valid until %2 UTC."),
                              record.common_name, f"{record.not_after:%Y-%m-%d %H:%M}"), page)
        headline.setObjectName("issuedHeadline")
        headline.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(headline)
        if ignored:  # as openssl ca with copy_extensions = none (protocol §7.8)
            warning = QLabel(arg(self.tr("The CSR asked for the alternative names %1; they were ignored, and the "
                                         "certificate names the device as the profile does."), ", ".join(ignored)),
                             page)
            warning.setObjectName("ignoredNames")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        layout.addLayout(fields_form(certificate_fields(record), page))
        self.export = ExportPanel(self.session, record, page)
        layout.addWidget(self.export)
        layout.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, page)
        close.rejected.connect(self.accept)
        layout.addWidget(close)
        self.pages.setCurrentWidget(page)
        self.session.data_changed.emit()
        self.issued.emit(record)
