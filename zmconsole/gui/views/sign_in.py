"""The sign-in screen, shown instead of everything else while a store with operators has nobody signed in.

Large fields and a large button for a cart laptop used standing up; Enter in either field signs in. The
password check (scrypt, and a deliberate pause after a wrong password) runs off the GUI thread through
``operators.sign_in``; a wrong password or too many of them shows the core's own message, never a traceback.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from zmconsole.core import operators
from zmconsole.core.operators import Operator
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import icon
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button, busy_bar

FIELD_HEIGHT = 48  # pixels: fields and the button, for a finger or a hurried click at a cart
FONT_SCALE = 1.4  # the screen's text, relative to the application's font


def _bigger(widget: QWidget, scale: float = FONT_SCALE, *, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    widget.setFont(font)


class SignInView(QWidget):
    """Name, password and Sign in; emits :attr:`signed_in` with the operator once the core lets them in."""

    signed_in = Signal(object)  # the Operator

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("signInView")
        self._busy = False

        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(self.tr("Sign in to the Z Monitor Console"), self)
        title.setObjectName("signInTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        _bigger(title, 1.8, bold=True)
        self.intro = QLabel(self)
        self.intro.setObjectName("signInIntro")
        self.intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro.setWordWrap(True)
        _bigger(self.intro, 1.1)

        self.name = QLineEdit(self)
        self.name.setObjectName("operatorName")
        self.name.setPlaceholderText(self.tr("e.g. j.smith"))
        self.password = QLineEdit(self)
        self.password.setObjectName("operatorPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for edit, name in ((self.name, self.tr("Operator name")), (self.password, self.tr("Password"))):
            edit.setMinimumHeight(FIELD_HEIGHT)
            _bigger(edit)
            accessible(edit, name)
            edit.returnPressed.connect(self.sign_in)
        self.sign_in_button = big_button(self.tr("&Sign in"), "unlock", name="signInButton", parent=self)
        self.sign_in_button.setMinimumHeight(FIELD_HEIGHT)
        self.sign_in_button.setDefault(True)
        _bigger(self.sign_in_button, bold=True)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.message = Banner(self)
        self.message.setObjectName("signInMessage")
        _bigger(self.message, 1.15)
        self.busy = busy_bar(self)

        name_label = QLabel(self.tr("&Name:"), self)
        name_label.setBuddy(self.name)
        password_label = QLabel(self.tr("&Password:"), self)
        password_label.setBuddy(self.password)
        for label in (name_label, password_label):
            _bigger(label)
        form = QFormLayout()
        form.setVerticalSpacing(14)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(name_label, self.name)
        form.addRow(password_label, self.password)

        card = QFrame(self)
        card.setObjectName("signInCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(440)
        card.setMaximumWidth(640)
        column = QVBoxLayout(card)
        column.setContentsMargins(32, 28, 32, 28)
        column.setSpacing(16)
        column.addWidget(logo)
        column.addWidget(title)
        column.addWidget(self.intro)
        column.addLayout(form)
        column.addWidget(self.sign_in_button)
        column.addWidget(self.busy)
        column.addWidget(self.message)
        row = QHBoxLayout()  # stretches either side, so the card takes its width and its wrapped text its height
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.reset()

    def reset(self, why: str = "") -> None:
        """Ready for the next person: empty fields, and why the screen shows (after a sign-out)."""
        self.name.clear()
        self.password.clear()
        minutes = self.session.settings.idle_lock_minutes
        self.intro.setText(arg(self.tr("Each person signs in with their own name and password. The console signs "
                                       "you out after %1 minutes without use.") if minutes != 1 else
                               self.tr("Each person signs in with their own name and password. The console signs "
                                       "you out after a minute without use."), minutes))
        if why:
            self.message.show_message(Kind.INFO, why)
        else:
            self.message.clear()
        self._working(False)
        self.focus_entry()

    def focus_entry(self) -> None:
        (self.password if self.name.text() else self.name).setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_entry()

    def sign_in(self) -> None:
        if self._busy:
            return
        name, password = self.name.text().strip(), self.password.text()
        if not name or not password:
            self.message.show_message(Kind.ERROR, self.tr("Type your operator name and your password."))
            self.focus_entry()
            return
        self._working(True)
        store, now = self.session.store, self.session.now()
        self.session.tasks.start(lambda _job: operators.sign_in(store, name, password, now=now, record=True),
                                 done=self._done, failed=self._refused, owner=self)

    def _working(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        for widget in (self.name, self.password, self.sign_in_button):
            widget.setEnabled(not busy)

    def _done(self, operator: Operator) -> None:
        self._working(False)
        self.password.clear()
        self.message.clear()
        self.signed_in.emit(operator)

    def _refused(self, error: BaseException) -> None:
        self._working(False)
        if self.session.errors.show_in(self, self.message, error):  # wrong, or too many: the core's words
            self.password.clear()
            self.password.setFocus()
