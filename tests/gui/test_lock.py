"""Unlock once per session, lock again after the idle time, and a wrong passphrase that is audited."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import find_window, press, settle, unlock_with
from zmconsole.core import audit
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session


def test_unlock_then_idle_lock(qtbot: QtBot, window: MainWindow, session: Session) -> None:
    assert session.locked and window.lock_label.text() == "CA locked"
    session.set_idle_timeout(150)
    press(qtbot, window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)  # Unlock the CA…
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)
    assert window.lock_label.text() == "CA unlocked" and window.lock_action.isEnabled()
    with qtbot.waitSignal(session.lock_changed, timeout=5_000) as locked:
        pass  # nobody touches the console...
    assert locked.args == [True] and session.locked
    assert window.lock_label.text() == "CA locked" and window.unlock_action.isEnabled()


def test_input_keeps_the_console_unlocked(qtbot: QtBot, window: MainWindow, session: Session) -> None:
    session.set_idle_timeout(60_000)
    window.unlock()
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)
    timer = session.idle._timer
    timer.setInterval(60_000)
    timer.start()
    timer.setInterval(120_000)  # the next restart will show as a longer remaining time
    qtbot.mouseMove(window.devices.table, QPoint(5, 5))
    qtbot.keyClick(window.devices.search, Qt.Key.Key_A)
    assert timer.remainingTime() > 60_000  # the input restarted the idle countdown
    assert session.idle.interval_ms == 120_000


def test_lock_now_then_signing_asks_again(qtbot: QtBot, window: MainWindow, session: Session) -> None:
    window.unlock()
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)
    press(qtbot, window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert session.locked
    dialog = window.issue("ZM-050")
    dialog.mode_generate.setChecked(True)
    dialog.issue_button.click()
    find_window(qtbot, UnlockDialog)  # the operation asks for the passphrase first
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=10_000)
    settle(qtbot, session)


def test_wrong_passphrase(qtbot: QtBot, window: MainWindow, session: Session, store: Store) -> None:
    window.unlock()
    dialog = find_window(qtbot, UnlockDialog)
    dialog.unlock_button.click()
    assert "Type the CA passphrase" in dialog.message.text  # empty: said without asking the core
    dialog.passphrase.setText("not the passphrase")
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible() and "does not open" in dialog.message.text, timeout=10_000)
    assert dialog.isVisible() and session.locked and dialog.passphrase.text() == ""
    wrong = audit.entries(store, action_prefix="ca.passphrase_wrong")
    assert len(wrong) == 1 and wrong[0].details == {"during": "unlock"}
    dialog.passphrase.setText(PASSPHRASE)
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
