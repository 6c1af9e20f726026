"""The settings page: the business settings kept in the store (shared with the CLI and the service).

Values are checked and saved by the core (``settings.validate`` / ``settings.save``,
audited); this page only lays them out. Window geometry and view state are not
here: they live in ``QSettings`` (:mod:`..view_state`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import settings
from zmconsole.core.errors import ZmError
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button


def setting_groups() -> list[tuple[str, list[tuple[str, str, int]]]]:
    """(group, [(setting name, label, maximum for numbers or 0 for text)])."""
    translate = QCoreApplication.translate
    return [
        (translate("SettingsPage", "Site policy"), [
            ("device_id_pattern", translate("SettingsPage", "Device ID pattern (regular expression):"), 0),
            ("device_dns_domain", translate("SettingsPage", "Device DNS domain:"), 0),
        ]),
        (translate("SettingsPage", "Validity"), [
            ("device_days", translate("SettingsPage", "Device certificates (days):"), 3650),
            ("server_days", translate("SettingsPage", "Server certificates (days):"), 3650),
        ]),
        (translate("SettingsPage", "Expiry alerts"), [
            ("threshold_warn", translate("SettingsPage", "Warn at (days left):"), 3650),
            ("threshold_soon", translate("SettingsPage", "Soon at (days left):"), 3650),
            ("threshold_urgent", translate("SettingsPage", "Urgent at (days left):"), 3650),
        ]),
        (translate("SettingsPage", "Revocation and addresses"), [
            ("crl_url", translate("SettingsPage", "CRL distribution URL:"), 0),
            ("ocsp_url", translate("SettingsPage", "OCSP responder URL:"), 0),
            ("ca_issuers_url", translate("SettingsPage", "CA certificate URL:"), 0),
            ("provisioning_url", translate("SettingsPage", "Provisioning service URL:"), 0),
            ("crl_next_update_hours", translate("SettingsPage", "CRL valid for (hours):"), 8760),
            ("crl_publish_dir", translate("SettingsPage", "CRL publish folder:"), 0),
        ]),
        (translate("SettingsPage", "Security"), [
            ("idle_lock_minutes", translate("SettingsPage", "Lock the CA after idle (minutes):"), 1440),
        ]),
    ]


class SettingsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fields: dict[str, QLineEdit | QSpinBox] = {}

        content = QWidget(self)
        column = QVBoxLayout(content)

        data = QGroupBox(self.tr("Data location"), content)
        data_form = QFormLayout(data)
        self.location = QLineEdit(str(session.home), data)
        self.location.setReadOnly(True)
        self.location.setObjectName("dataLocation")
        accessible(self.location, self.tr("Data location"))
        data_form.addRow(self.tr("Folder:"), self.location)
        self.store_label = QLabel(session.store.label, data)
        self.store_label.setWordWrap(True)
        data_form.addRow(self.tr("Store:"), self.store_label)
        note = QLabel(self.tr("Chosen when the console starts, with --home DIR or the ZMCONSOLE_HOME environment "
                              "variable; the command line and the provisioning service use the same folder."), data)
        note.setWordWrap(True)
        data_form.addRow(note)
        self.ca_subject = QLabel(data)
        self.ca_subject.setWordWrap(True)
        data_form.addRow(self.tr("CA subject (C and O every device must match):"), self.ca_subject)
        column.addWidget(data)

        for title, rows in setting_groups():
            box = QGroupBox(title, content)
            form = QFormLayout(box)
            for name, label, maximum in rows:
                widget: QLineEdit | QSpinBox
                if maximum:
                    widget = QSpinBox(box)
                    widget.setRange(1, maximum)
                else:
                    widget = QLineEdit(box)
                widget.setObjectName(f"setting-{name}")
                accessible(widget, label.rstrip(":"))
                self.fields[name] = widget
                if name == "crl_publish_dir":
                    browse = QPushButton(self.tr("Browse…"), box)
                    accessible(browse, self.tr("Choose the CRL publish folder"))
                    browse.clicked.connect(self._choose_folder)
                    row = QHBoxLayout()
                    row.addWidget(widget, 1)
                    row.addWidget(browse)
                    form.addRow(label, row)
                else:
                    form.addRow(label, widget)
            column.addWidget(box)
        column.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.message = Banner(self)
        self.save = big_button(self.tr("&Save settings"), "verify", name="saveSettings", parent=self)
        self.revert = big_button(self.tr("&Revert"), "refresh", name="revertSettings", parent=self)
        self.save.clicked.connect(self.save_settings)
        self.revert.clicked.connect(self.load)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        session.settings_changed.connect(self.load)
        session.ca_changed.connect(self.load)
        self.load()

    def load(self) -> None:
        """Show the stored values (discarding unsaved edits)."""
        current = self.session.settings
        for name, widget in self.fields.items():
            value = getattr(current, name)
            if isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            else:
                widget.setText(str(value))
        info = self.session.ca_info
        self.ca_subject.setText(info.subject if info else self.tr("(no CA yet)"))

    def values(self) -> dict[str, Any]:
        return {name: widget.value() if isinstance(widget, QSpinBox) else widget.text()
                for name, widget in self.fields.items()}

    def save_settings(self) -> None:
        try:
            updated = settings.validate(self.session.settings, **self.values())
            self.session.save_settings(updated)
        except ZmError as error:
            self.message.show_message(Kind.ERROR, self.session.errors.message(error))
            self.session.errors.show(self, error)
            return
        self.message.show_message(Kind.OK, arg(self.tr("Settings saved at %1."),
                                               self.session.now().strftime("%H:%M:%S")))

    def _choose_folder(self) -> None:
        folder = self.session.files.folder(self, self.tr("Choose the folder the web server publishes CRLs from"))
        if folder is not None:
            self.fields["crl_publish_dir"].setText(str(folder))  # type: ignore[union-attr]
