"""Every control reachable by keyboard and named for a screen reader; every visible string translatable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.gui.conftest import make_window, settle
from zmconsole.core.ca import UnlockedCa
from zmconsole.gui.dialogs.revoke import RevokeDialog
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.dialogs.wizard import FirstRunWizard
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractItemView, QTabBar)


def controls(root: QWidget) -> list[QWidget]:
    """The interactive widgets a person can see (toolbar buttons excepted: their actions are in the menus)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if isinstance(widget.parentWidget(), QToolBar | QLineEdit):
            continue  # a toolbar's buttons (their actions are in the menus); a line edit's icon and clear button
        if widget.parentWidget() is not None and isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or combo box
        if isinstance(widget, QHeaderView):
            continue  # sorting by keyboard has its own control ("Sort devices by")
        if widget.objectName().startswith("qt_"):  # Qt's own internals (scroll area corner, tab scrollers)
            continue
        found.append(widget)
    return found


def focus_chain(root: QWidget) -> set[QWidget]:
    chain: set[QWidget] = set()
    widget = root.nextInFocusChain()
    while widget is not root and widget not in chain and len(chain) < 5000:
        chain.add(widget)
        widget = widget.nextInFocusChain()
    return chain


def check_keyboard_and_names(root: QWidget) -> None:
    chain = focus_chain(root)
    for widget in controls(root):
        label = f"{type(widget).__name__} {widget.objectName()!r} in {type(root).__name__}"
        if isinstance(widget, QRadioButton) and widget.autoExclusive():
            # An exclusive group is one Tab stop (its checked button); the arrow keys move inside it.
            group = [b for b in widget.parentWidget().findChildren(QRadioButton) if b.autoExclusive()]
            assert any(b in chain for b in group), f"{label}: its group is not in the focus chain"
        else:
            assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{label} cannot be reached with Tab"
            assert widget in chain, f"{label} is not in the focus chain"
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        assert name.strip(), f"{label} has no accessible name"


@pytest.fixture
def open_window(qtbot: QtBot, session: Session, view_state: ViewState, devices: list[str],
                unlocked: UnlockedCa) -> Iterator[MainWindow]:
    window = make_window(qtbot, session, view_state)
    settle(qtbot, session)
    yield window
    window.close()


def dialogs(window: MainWindow) -> Iterator[QWidget]:
    """Each dialog the console has, opened the way the window opens it."""
    yield window
    for page in ("devices", "revocation", "audit", "settings"):
        window.show_page(page)
        yield window
    details = window.show_details("ZM-001")
    for tab in range(details.tabs.count()):
        details.tabs.setCurrentIndex(tab)
        yield details
    details.close()
    issue = window.issue()
    yield issue
    issue.close()
    bulk = window.bulk_issue()
    yield bulk
    bulk.close()
    revoke = window.revoke_devices(["ZM-001"])
    assert isinstance(revoke, RevokeDialog)
    yield revoke
    revoke.close()
    unlock = UnlockDialog(window.session, window)
    unlock.open()
    yield unlock
    unlock.close()


def test_every_control_is_reachable_and_named(qtbot: QtBot, open_window: MainWindow) -> None:
    for root in dialogs(open_window):
        check_keyboard_and_names(root)
    menus = {a for m in open_window.menuBar().actions() if m.menu() for a in m.menu().actions()}
    assert set(open_window.toolbar.actions()) - {a for a in open_window.toolbar.actions() if a.isSeparator()} <= menus


def test_the_wizard_is_reachable_and_named(qtbot: QtBot, empty_session: Session) -> None:
    wizard = FirstRunWizard(empty_session)
    qtbot.addWidget(wizard)
    wizard.show()
    for _ in range(2):
        check_keyboard_and_names(wizard)
        wizard.next()
    check_keyboard_and_names(wizard)


def test_standard_shortcuts(open_window: MainWindow) -> None:
    shortcuts = {a.objectName(): a.shortcut().toString() for a in open_window.actions() if a.objectName()}
    assert shortcuts["issueAction"] == "Ctrl+N"
    assert shortcuts["searchAction"] == "Ctrl+F"
    assert shortcuts["revokeAction"] == "Del"
    assert shortcuts["refreshAction"] == "F5"
    assert shortcuts["quitAction"] == "Ctrl+Q"


class Shouting(QTranslator):
    """Translates every string to upper case, so an untranslated string stands out."""

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return source.upper()


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    yield "title", root.windowTitle()
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton | QLabel) and widget.text():
            yield type(widget).__name__ + " " + widget.objectName(), widget.text()
        if isinstance(widget, QGroupBox):
            yield "group", widget.title()
        if isinstance(widget, QLineEdit) and widget.placeholderText():
            yield "placeholder", widget.placeholderText()


def assert_translated(root: QWidget) -> None:
    for where, text in visible_texts(root):
        data = any(marker in text for marker in ("ZM-", "zm-", "/", "CN=", "ec-p", "rsa")) or \
            not any(c.isalpha() for c in text)
        if not data:
            assert text == text.upper(), f"{where} in {type(root).__name__} is not translatable: {text!r}"


def test_visible_strings_go_through_translation(qtbot: QtBot, session: Session, view_state: ViewState,
                                                devices: list[str], unlocked: UnlockedCa) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    shouting = Shouting()
    app.installTranslator(shouting)
    try:
        window = make_window(qtbot, session, view_state)
        settle(qtbot, session)
        for menu in window.menuBar().actions():
            assert menu.text() == menu.text().upper(), menu.text()
            for action in menu.menu().actions():
                assert action.text() == action.text().upper(), action.text()
        for root in dialogs(window):
            assert_translated(root)
        wizard = FirstRunWizard(session)
        qtbot.addWidget(wizard)
        wizard.show()
        for key, value in (("country", "US"), ("org", "Hospital"), ("cn", "Z-Monitor-CA")):
            wizard.subject_page.fields[key].setText(value)  # placeholders only: typed, as an operator would
        wizard.subject_page.dns_domain.setText("devices.hospital.example")
        for _ in range(3):
            assert_translated(wizard)
            wizard.next()
        window.close()
    finally:
        app.removeTranslator(shouting)
