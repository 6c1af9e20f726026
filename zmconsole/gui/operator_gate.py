"""The main window on a store with operators: the sign-in screen until someone signs in, who is signed in, and
Sign out.

While nobody is signed in, the window shows only :class:`~.views.sign_in.SignInView`: the menus and the
toolbar are hidden, and every action is disabled by the role table (``roles.why_not`` refuses everything to
nobody), so no shortcut reaches a page either. Signing out (Sign out, or the idle lock) closes the window's
dialogs and brings the sign-in screen back; signing in re-evaluates every action for the new role
(:mod:`.operator_actions`) and loads the pages. On a store without operators none of this shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QStackedWidget, QToolButton, QWidget

from zmconsole.core.roles import Operation
from zmconsole.gui.dialogs.operators import OperatorsDialog
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.operator_actions import RoleActions, gate_window
from zmconsole.gui.views.sign_in import SignInView

if TYPE_CHECKING:
    from zmconsole.gui.main_window import MainWindow


class OperatorGate:
    """Puts the sign-in screen in front of the window's pages and keeps the window in step with the operator."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session = session = window.session
        self.roles: RoleActions = gate_window(window)
        content = window.takeCentralWidget()
        assert content is not None  # the window's navigation and pages
        self.sign_in = SignInView(session, window)
        self.screens = QStackedWidget(window)
        self.screens.setObjectName("screens")
        self.screens.addWidget(self.sign_in)
        self.screens.addWidget(content)
        self.content: QWidget = content
        window.setCentralWidget(self.screens)

        self.sign_out_action = QAction(icon("lock"), window.tr("Sign &out"), window)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.sign_out_action.setStatusTip(window.tr("Sign out now; the next person signs in with their own name"))
        self.sign_out_action.triggered.connect(lambda _checked=False: session.sign_out())
        window.addAction(self.sign_out_action)
        window.file_menu.insertAction(window.quit_action, self.sign_out_action)
        self.operators_action = QAction(icon("key"), window.tr("&Operators…"), window)
        self.operators_action.setObjectName("operatorsAction")
        self.operators_action.setStatusTip(window.tr("Who signs in: add operators with a role, disable them, "
                                                     "set their passwords"))
        self.operators_action.triggered.connect(lambda _checked=False: self.open_operators())
        window.addAction(self.operators_action)
        window.ca_menu.addAction(self.operators_action)
        self.roles.action(self.operators_action, Operation.OPERATORS_MANAGE)
        self.who = QLabel(window)
        self.who.setObjectName("signedInOperator")
        self.sign_out_button = QToolButton(window)
        self.sign_out_button.setObjectName("signOutButton")
        self.sign_out_button.setDefaultAction(self.sign_out_action)
        self.sign_out_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        status = window.statusBar()
        status.addPermanentWidget(self.who)
        status.addPermanentWidget(self.sign_out_button)

        self.sign_in.signed_in.connect(session.signed_in)
        session.operator_changed.connect(self.update)
        session.ca_changed.connect(self.roles.apply)
        self._shown_signed_out = session.signed_out

    @property
    def signed_out(self) -> bool:
        return self.session.signed_out

    def update(self) -> None:
        """Show the sign-in screen or the pages, for whoever is signed in now (or nobody)."""
        window, session = self.window, self.session
        operator = session.operator
        self.roles.apply()
        if session.has_operators:
            window.statusBar().clearMessage()  # "the CA is locked" means nothing to the next person
        window.menuBar().setVisible(not session.signed_out)
        window.toolbar.setVisible(not session.signed_out)
        for widget in (self.who, self.sign_out_button):
            widget.setVisible(operator is not None)
        for widget in (window.lock_icon, window.lock_label):  # nobody's CA to speak of on the sign-in screen
            widget.setVisible(not session.signed_out)
        self.sign_out_action.setEnabled(operator is not None)
        if operator is not None:
            self.who.setText(arg(window.tr("Signed in: <b>%1</b> (%2)"), operator.name, operator.role.value))
            self.who.setAccessibleName(arg(window.tr("Signed in as %1, role %2"), operator.name,
                                           operator.role.value))
        if session.signed_out:
            was_in = not self._shown_signed_out
            self._close_dialogs()
            self.screens.setCurrentWidget(self.sign_in)
            self.sign_in.reset(window.tr("You were signed out.") if was_in else "")
        else:
            self.screens.setCurrentWidget(self.content)
            if self._shown_signed_out:  # the pages were not loaded for nobody
                window.refresh_pages()
            window.show_page(window.current_page)
        self._shown_signed_out = session.signed_out

    def open_operators(self) -> OperatorsDialog:
        dialog = OperatorsDialog(self.session, self.window)
        # The first operator added to a single-person site's store: from now on everyone signs in.
        dialog.finished.connect(lambda _result: self.session.reload())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _close_dialogs(self) -> None:
        """Dialogs the last operator left open go with them (an unlock prompt, a device's details...)."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and _belongs_to(widget, self.window):
                widget.reject()


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
