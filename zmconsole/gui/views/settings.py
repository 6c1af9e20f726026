"""The settings page: the business settings kept in the store (shared with the CLI and the service).

Values are checked and saved by the core (``settings.validate`` / ``settings.save``,
audited with old and new values); this page only lays them out. Saving them while the CA
is locked asks for the passphrase, as every other CA operation does: the thresholds, URLs
and ID pattern decide what devices get and what the officer is warned about. Window geometry and view state are not
here: they live in ``QSettings`` (:mod:`..view_state`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QWheelEvent
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
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button


def setting_groups() -> list[tuple[str, list[settings.Field]]]:
    """The core's settings table, grouped as the page shows it (headings in the core's order)."""
    return [(QCoreApplication.translate("SettingsPage", group.value),
             [item for item in settings.FIELDS if item.group is group]) for group in settings.Group]


class FocusedSpinBox(QSpinBox):
    """A spin box the mouse wheel changes only once it has the focus: scrolling the page over it (Urgent 7→5 was
    seen) must scroll the page, not change a threshold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: the wheel does not take the focus

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the scroll area


def _editor(item: settings.Field, parent: QWidget) -> QLineEdit | QSpinBox:
    """A spin box within the setting's bounds for a number, a line for text."""
    if item.kind is int:
        assert item.minimum is not None and item.maximum is not None
        spin = FocusedSpinBox(parent)
        spin.setRange(item.minimum, item.maximum)
        return spin
    return QLineEdit(parent)


class SettingsPage(QWidget):
    changed = Signal(bool)  # whether the page holds edits not saved yet
    saved = Signal()

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

        translate = QCoreApplication.translate
        for title, rows in setting_groups():
            box = QGroupBox(title, content)
            form = QFormLayout(box)
            for item in rows:
                name = item.name
                label, help_text = translate("SettingsPage", item.label), translate("SettingsPage", item.help)
                widget = _editor(item, box)
                widget.setObjectName(f"setting-{name}")
                widget.setToolTip(help_text)
                accessible(widget, label, help_text)
                self.fields[name] = widget
                label = label + ":"
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
        self.scroll_area = scroll
        self.unsaved = QLabel(self)
        self.unsaved.setObjectName("unsavedSettings")
        self.unsaved.setWordWrap(True)
        self.message = Banner(self)
        self.save = big_button(self.tr("&Save settings"), "verify", name="saveSettings", parent=self)
        self.revert = big_button(self.tr("&Revert"), "refresh", name="revertSettings", parent=self)
        self.save.clicked.connect(self.save_settings)
        self.revert.clicked.connect(self.load)
        for widget in self.fields.values():
            if isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._edited)
            else:
                widget.textChanged.connect(self._edited)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unsaved, 1)
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
        self._edited()

    def has_changes(self) -> bool:
        """Whether a field differs from the stored value (what Save would store)."""
        current = self.session.settings
        return any(value != getattr(current, name) for name, value in self.values().items())

    def _edited(self) -> None:
        changed = self.has_changes()
        self.unsaved.setText(self.tr("● Unsaved changes — Save or Revert them.") if changed else "")
        self.save.setEnabled(changed)
        self.revert.setEnabled(changed)
        self.changed.emit(changed)

    def values(self) -> dict[str, Any]:
        return {name: widget.value() if isinstance(widget, QSpinBox) else widget.text()
                for name, widget in self.fields.items()}

    def save_settings(self) -> None:
        """Check the values, then store them, after the unlock when the CA is locked (no CA yet: at once)."""
        try:
            updated = settings.validate(self.session.settings, **self.values())
        except ZmError as error:
            self._refused(error)
            return
        if self.session.ca_info is None:
            self._store(updated)
            return
        request_ca(self, self.session, lambda _unlocked: self._store(updated),
                   self.tr("Changing the settings needs the CA unlocked, as other CA operations do."))

    def _store(self, updated: settings.Settings) -> None:
        try:
            self.session.save_settings(updated)
        except ZmError as error:
            self._refused(error)
            return
        self.message.show_message(Kind.OK, arg(self.tr("Settings saved at %1."),
                                               self.session.now().strftime("%H:%M:%S")))
        self._edited()
        self.saved.emit()

    def _refused(self, error: ZmError) -> None:
        self.message.show_message(Kind.ERROR, self.session.errors.message(error))
        self.session.errors.show(self, error)

    def _choose_folder(self) -> None:
        folder = self.session.files.folder(self, self.tr("Choose the folder the web server publishes CRLs from"))
        if folder is not None:
            self.fields["crl_publish_dir"].setText(str(folder))  # type: ignore[union-attr]
