"""A certificate's fields, and the buttons that export it (PEM, DER, the CA, and PKCS#12 with its key).

Exports go through the core (``exports``), so each is audited, and a key the
console held is deleted from the store once delivered in a PKCS#12.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from zmconsole.core import exports, inventory
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ZmError
from zmconsole.gui.dialogs.unlock import run_with_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button
from zmconsole.gui.workers import Job


def _names(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> str:
    try:
        value = cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return "—"
    if isinstance(value, x509.SubjectAlternativeName):
        return ", ".join(str(name.value) for name in value)
    translate = QCoreApplication.translate
    if isinstance(value, x509.ExtendedKeyUsage):
        purposes = {ExtendedKeyUsageOID.CLIENT_AUTH: translate("Certificate", "TLS client authentication"),
                    ExtendedKeyUsageOID.SERVER_AUTH: translate("Certificate", "TLS server authentication")}
        return ", ".join(purposes.get(usage, usage.dotted_string) for usage in value)
    if isinstance(value, x509.CRLDistributionPoints):
        return ", ".join(str(name.value) for point in value for name in point.full_name or [])
    if isinstance(value, x509.AuthorityInformationAccess):
        return ", ".join(f"{d.access_method._name}: {d.access_location.value}" for d in value)
    if isinstance(value, x509.KeyUsage):
        flags = {"digital_signature": translate("Certificate", "digital signature"),
                 "key_encipherment": translate("Certificate", "key encipherment"),
                 "key_agreement": translate("Certificate", "key agreement"),
                 "key_cert_sign": translate("Certificate", "certificate signing"),
                 "crl_sign": translate("Certificate", "CRL signing")}
        return ", ".join(word for flag, word in flags.items() if getattr(value, flag))
    return str(value)


def certificate_fields(record: inventory.CertificateRecord) -> list[tuple[str, str]]:
    """The fields a person checks, in reading order."""
    translate = QCoreApplication.translate
    cert = record.certificate
    return [
        (translate("Certificate", "Subject"), cert.subject.rfc4514_string()),
        (translate("Certificate", "Issuer"), cert.issuer.rfc4514_string()),
        (translate("Certificate", "Serial"), record.serial),
        (translate("Certificate", "Valid from (UTC)"), f"{record.not_before:%Y-%m-%d %H:%M}"),
        (translate("Certificate", "Valid until (UTC)"), f"{record.not_after:%Y-%m-%d %H:%M}"),
        (translate("Certificate", "Days left"), str(record.days_left)),
        (translate("Certificate", "Key"), arg(translate("Certificate", "%1 (%2)"), record.key_type,
                                       translate("Certificate", "generated on this console") if record.key_source ==
                                       "generated" else translate("Certificate", "from the device's CSR"))),
        (translate("Certificate", "Alternative names"), _names(cert, x509.SubjectAlternativeName)),
        (translate("Certificate", "Key usage"), _names(cert, x509.KeyUsage)),
        (translate("Certificate", "Extended key usage"), _names(cert, x509.ExtendedKeyUsage)),
        (translate("Certificate", "CRL distribution"), _names(cert, x509.CRLDistributionPoints)),
        (translate("Certificate", "Authority information"), _names(cert, x509.AuthorityInformationAccess)),
        (translate("Certificate", "SHA-256 fingerprint"), cert.fingerprint(hashes.SHA256()).hex(":").upper()),
    ]


def fields_form(rows: list[tuple[str, str]], parent: QWidget) -> QFormLayout:
    form = QFormLayout()
    for label, value in rows:
        text = QLabel(value, parent)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse |
                                     Qt.TextInteractionFlag.TextSelectableByKeyboard)
        text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        text.setAccessibleName(f"{label}: {value}")
        form.addRow(f"{label}:", text)
    return form


class ExportPanel(QWidget):
    """Save the certificate as PEM or DER, the CA certificate, and (for a held key) a PKCS#12."""

    exported = Signal(str)  # the path written

    def __init__(self, session: Session, record: inventory.CertificateRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.pem = big_button(self.tr("Save certificate (&PEM)…"), "export", name="exportPem", parent=self)
        self.der = big_button(self.tr("Save certificate (&DER)…"), "export", name="exportDer", parent=self)
        self.ca = big_button(self.tr("Save &CA certificate…"), "export", name="exportCa", parent=self)
        self.pem.clicked.connect(lambda: self._save_certificate("pem"))
        self.der.clicked.connect(lambda: self._save_certificate("der"))
        self.ca.clicked.connect(self._save_ca)
        self.password = QLineEdit(exports.random_password(), self)
        self.password.setObjectName("p12Password")
        accessible(self.password, self.tr("PKCS#12 password"),
                   self.tr("Protects the private key in the file; give it to the person installing the monitor."))
        self.p12 = big_button(self.tr("Save &PKCS#12 (certificate and key)…"), "key", name="exportP12", parent=self)
        self.p12.clicked.connect(self._save_pkcs12)
        self.held_note = QLabel(self)
        self.held_note.setWordWrap(True)
        self.message = Banner(self)
        row = QHBoxLayout()
        for button in (self.pem, self.der, self.ca):
            row.addWidget(button)
        p12_row = QHBoxLayout()
        self.password_label = QLabel(self.tr("PKCS#12 password:"), self)
        p12_row.addWidget(self.password_label)
        p12_row.addWidget(self.password, 1)
        p12_row.addWidget(self.p12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(p12_row)
        layout.addWidget(self.held_note)
        layout.addWidget(self.message)
        self.update_held()

    def update_held(self) -> None:
        held = exports.has_held_key(self.session.store, self.record.id)
        for widget in (self.p12, self.password, self.password_label):  # no key to export: no greyed field
            widget.setEnabled(held)
            widget.setVisible(held)
        self.held_note.setText(
            self.tr("The console holds this certificate's key until it is delivered: the PKCS#12 export "
                    "delivers it and deletes the held copy.") if held else
            self.tr("The console does not hold this key (the device made it, or it was already delivered): "
                    "only the certificate can be exported."))

    def _target(self, title: str, suffix: str, filters: str) -> Path | None:
        return self.session.files.save_file(self, title, f"{self.record.common_name}.{suffix}", filters)

    def _save_certificate(self, fmt: str) -> None:
        path = self._target(self.tr("Save the certificate"), "crt.pem" if fmt == "pem" else "crt.der",
                            self.tr("PEM (*.pem *.crt)") if fmt == "pem" else self.tr("DER (*.der *.cer)"))
        if path is None:
            return
        store, record = self.session.store, self.record
        self.session.tasks.start(lambda _job: exports.write_file(path, exports.export_certificate(store, record, fmt),
                                                                     force=True),
                                 done=self._written, owner=self)

    def _save_ca(self) -> None:
        info = self.session.ca_info
        path = self.session.files.save_file(self, self.tr("Save the CA certificate"), "ca.crt.pem",
                                            self.tr("PEM (*.pem *.crt)"))
        if path is None or info is None:
            return
        self.session.tasks.start(lambda _job: exports.write_file(path, info.pem, force=True), done=self._written,
                                 owner=self)

    def _save_pkcs12(self) -> None:
        password = self.password.text()
        try:
            exports.check_key_password(password)
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        path = self._target(self.tr("Save the PKCS#12 file"), "p12", self.tr("PKCS#12 (*.p12 *.pfx)"))
        if path is None:
            return
        store, record = self.session.store, self.record

        def work(unlocked: UnlockedCa, _job: Job) -> Path:
            # Written before the held copy is deleted; the save dialog asked before replacing a file.
            exports.export_pkcs12(store, unlocked, record, password=password,
                                  deliver=lambda data: exports.write_file(path, data, private=True, force=True))
            return path

        run_with_ca(self, self.session, work, self._delivered,
                    reason=self.tr("The held key is sealed under the CA key."))

    def _delivered(self, path: Path) -> None:
        self._written(path)
        self.update_held()
        self.session.data_changed.emit()

    def _written(self, path: object) -> None:
        self.message.show_message(Kind.OK, arg(self.tr("Written to %1."), path))
        self.exported.emit(str(path))
