"""The wizard's optional first admin: with one, everyone signs in with their own name and password, and bedside
staff pair monitors without knowing the CA passphrase (issue 13). A single-person site leaves it unticked and
works as before.

The admin is made by ``operators.create_first_admin`` right after the CA, in the same worker; the name and the
password are checked by the core's own rules before the CA is made, so a bad name cannot leave a CA without
its admin.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from zmconsole.core import operators
from zmconsole.core.errors import ZmError
from zmconsole.gui.i18n import arg
from zmconsole.gui.widgets import accessible


class FirstAdminBox(QGroupBox):
    """A checkable box: the admin's name and password (typed twice)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdmin")
        self.setTitle(self.tr("Sign-in for each person (optional): create the first admin"))
        self.setCheckable(True)
        self.setChecked(False)
        note = QLabel(self.tr("Everyone then signs in with their own name and password, every audit entry names "
                              "them, and bedside staff pair monitors without the CA passphrase. The admin adds "
                              "the others later. A single-person site can leave this off."), self)
        note.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setObjectName("adminName")
        self.name.setPlaceholderText(self.tr("e.g. j.smith"))
        self.password = QLineEdit(self)
        self.password.setObjectName("adminPassword1")
        self.again = QLineEdit(self)
        self.again.setObjectName("adminPassword2")
        for edit, label in ((self.name, self.tr("Admin name")), (self.password, self.tr("Admin password")),
                            (self.again, self.tr("Admin password again"))):
            accessible(edit, label)
            edit.textChanged.connect(self._changed)
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(self)
        self.hint.setObjectName("adminHint")
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("Pass&word:"), self.password)
        form.addRow(self.tr("A&gain:"), self.again)
        form.addRow("", self.hint)
        self.toggled.connect(lambda _on: self._changed())

    def _changed(self) -> None:
        self.hint.setText(self.problem() or (self.tr("✓ Ready.") if self.isChecked() else ""))
        self.changed.emit()

    def problem(self) -> str:
        """What is still wrong with the admin, in words ("" when nothing is, or when the box is off)."""
        if not self.isChecked():
            return ""
        name, password = self.name.text().strip(), self.password.text()
        try:
            if name:
                operators.check_name(name)
            if password:
                operators.check_new_password(password)
        except ZmError as error:
            return "✗ " + str(error)
        if not name or not password:
            return arg(self.tr("Type a name and a password of at least %1 characters."), operators.MIN_PASSWORD)
        if self.again.text() != password:
            return self.tr("✗ The two passwords differ.") if self.again.text() else self.tr("Type the password again.")
        return ""

    def wanted(self) -> tuple[str, str] | None:
        """(name, password) of the admin to create, or None (the box is off)."""
        if not self.isChecked():
            return None
        return self.name.text().strip(), self.password.text()
