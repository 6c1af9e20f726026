"""CA > Operators…: the people who sign in, for an admin to add (with a role), disable, or give a new password.

Everything is the core's (``operators.list_operators``, ``add``, ``disable``, ``set_password``), which checks
the admin's role again. Adding an operator issues their pairing signer, and giving someone else a new password
issues a new one, so both ask for the CA passphrase if the CA is locked. Disabling revokes the operator's
signer at once, so QR codes they prepared and that were not used stop working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import operators
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ZmError
from zmconsole.core.operators import OperatorInfo
from zmconsole.core.roles import ROLES, Role
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.models.columns import Column, time_text
from zmconsole.gui.models.lists import ListTableModel
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button, table_view


class PasswordFields:
    """A new password typed twice, as two rows of a form."""

    def __init__(self, form: QFormLayout, parent: QWidget) -> None:
        self.first = QLineEdit(parent)
        self.first.setObjectName("newPassword1")
        self.second = QLineEdit(parent)
        self.second.setObjectName("newPassword2")
        for edit, label, text in ((self.first, parent.tr("&Password:"), parent.tr("New password")),
                                  (self.second, parent.tr("A&gain:"), parent.tr("New password again"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            accessible(edit, text)
            form.addRow(label, edit)

    def problem(self, parent: QWidget) -> str:
        if self.first.text() != self.second.text():
            return parent.tr("The two passwords differ: type them again.")
        return ""


class OperatorForm(QDialog):
    """Add an operator (name, role, password) or, with ``name``, give that operator a new password."""

    def __init__(self, parent: QWidget, name: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorForm")
        self.editing = name
        self.setWindowTitle(self.tr("Add an operator") if name is None else arg(self.tr("New password for %1"), name))
        form = QFormLayout()
        self.name = QLineEdit(name or "", self)
        self.name.setObjectName("newOperatorName")
        self.name.setPlaceholderText(self.tr("e.g. j.smith"))
        self.name.setReadOnly(name is not None)
        accessible(self.name, self.tr("Operator name"))
        form.addRow(self.tr("&Name:"), self.name)
        self.role = QComboBox(self)
        self.role.setObjectName("newOperatorRole")
        words = {Role.PAIRING: self.tr("pairing — prepares and cancels pairings, sees devices"),
                 Role.OFFICER: self.tr("officer — also revokes, exports reports and the audit log"),
                 Role.ADMIN: self.tr("admin — also CAs, server certificates, settings and operators")}
        for role in ROLES:
            self.role.addItem(words[Role(role)], role)
        accessible(self.role, self.tr("Role"))
        if name is None:
            form.addRow(self.tr("&Role:"), self.role)
        else:
            self.role.hide()
        self.passwords = PasswordFields(form, self)
        self.message = Banner(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Add") if name is None else self.tr("&Set password"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _check(self) -> None:
        problem = self.passwords.problem(self)
        if problem:
            self.message.show_message(Kind.ERROR, problem)
            return
        self.accept()

    @property
    def password(self) -> str:
        return self.passwords.first.text()


class OperatorsDialog(QDialog):
    """The list of operators and what an admin does with them."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("operatorsDialog")
        self.setWindowTitle(self.tr("Operators"))
        self.model = ListTableModel([
            Column(self.tr("Name"), lambda o: o.name),
            Column(self.tr("Role"), lambda o: o.role.value),
            Column(self.tr("State"), lambda o: self.tr("disabled") if o.disabled else self.tr("active")),
            Column(self.tr("Added (UTC)"), lambda o: time_text(o.created_at)),
            Column(self.tr("Password changed (UTC)"), lambda o: time_text(o.password_changed_at)),
            Column(self.tr("Wrong passwords"), lambda o: str(o.failed_attempts), numeric=True),
        ], parent=self)
        self.table = table_view(self.model, "operatorsTable", self.tr("Operators"), self, (120, 80, 80, 140, 170))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.message = Banner(self)
        self.add_button = big_button(self.tr("&Add…"), "issue", name="addOperator", parent=self)
        self.password_button = big_button(self.tr("Set &password…"), "key", name="operatorPassword", parent=self)
        self.disable_button = big_button(self.tr("&Disable…"), "revoke", name="disableOperator", parent=self)
        self.add_button.clicked.connect(self.add)
        self.password_button.clicked.connect(self.set_password)
        self.disable_button.clicked.connect(self.disable)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        note = QLabel(self.tr("Each person signs in with their own name. Disabling someone revokes their pairing "
                              "signer at once: QR codes they prepared and that were not used stop working."), self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(820, 440)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.model.set_rows(operators.list_operators(self.session.store))
        except ZmError as error:  # refused or unreadable: said in the dialog
            self.message.show_message(Kind.ERROR, self.session.errors.message(error))
        self._selected()

    def selected(self) -> OperatorInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _selected(self) -> None:
        chosen = self.selected()
        self.password_button.setEnabled(chosen is not None and not chosen.disabled)
        self.disable_button.setEnabled(chosen is not None and not chosen.disabled)

    def _run(self, work: Callable[[], Any], done: str) -> None:
        def finished(_result: object) -> None:
            self.message.show_message(Kind.OK, done)
            self.refresh()
            self.session.data_changed.emit()  # the audit log has new entries

        self.session.tasks.start(lambda _job: work(), done=finished,
                                 failed=lambda error: self.session.errors.show(self, error), owner=self)

    def add(self) -> OperatorForm:
        form = OperatorForm(self)

        def chosen() -> None:
            name, role, password = form.name.text().strip(), form.role.currentData(), form.password
            store, now = self.session.store, self.session.now()

            def with_ca(unlocked: UnlockedCa) -> None:
                self._run(lambda: operators.add(store, unlocked, name, role, password, now=now),
                          arg(self.tr("%1 added as %2; they sign in with the password you gave them."), name, role))

            request_ca(self, self.session, with_ca, reason=self.tr("Adding an operator issues their pairing signer "
                                                                   "with the CA key."))

        form.accepted.connect(chosen)
        form.finished.connect(form.deleteLater)
        form.open()
        return form

    def set_password(self) -> OperatorForm | None:
        chosen = self.selected()
        if chosen is None:
            return None
        form = OperatorForm(self, chosen.name)
        own = self.session.operator is not None and self.session.operator.name == chosen.name

        def typed() -> None:
            store, now, password, name = self.session.store, self.session.now(), form.password, chosen.name
            done = arg(self.tr("%1 has a new password."), name)
            if own:  # their own signer is sealed again: no CA key needed
                self._run(lambda: operators.set_password(store, name, password, now=now), done)
                return
            request_ca(self, self.session, lambda unlocked: self._run(
                lambda: operators.set_password(store, name, password, ca=unlocked, now=now), done),
                reason=self.tr("Another operator's new password comes with a new pairing signer, issued with the "
                               "CA key."))

        form.accepted.connect(typed)
        form.finished.connect(form.deleteLater)
        form.open()
        return form

    def disable(self) -> QMessageBox | None:
        chosen = self.selected()
        if chosen is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Disable the operator?"), arg(self.tr(
            "%1 can no longer sign in, their pairing signer is revoked, and the pairings they prepared that are "
            "still waiting end now. This cannot be undone (a new operator can be added)."), chosen.name),
            QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("disableOperatorQuestion")
        yes = box.addButton(self.tr("&Disable"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        store, now, name = self.session.store, self.session.now(), chosen.name

        def answered(button: object) -> None:
            if button is yes:
                self._run(lambda: operators.disable(store, name, now=now),
                          arg(self.tr("%1 is disabled; their pairing signer is revoked."), name))

        box.buttonClicked.connect(answered)
        box.finished.connect(box.deleteLater)
        box.open()
        return box
