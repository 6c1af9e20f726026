"""The Pair page as a person at a cart uses it, key by key: how many steps to a QR code, a scan after a pairing
ended, the idle lock while a code is shown, Tab in reading order, and Ctrl+Q asking before it strands a device."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.conftest import find_window, press, settle
from tests.gui.test_pairing import FREE_PORTS, PinnedClock
from zmconsole.core.ca import UnlockedCa
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.service_control import ServiceState
from zmconsole.gui.session import Session
from zmconsole.gui.views.pairing import PairingPage


def scan(qtbot: QtBot, device_id: str) -> None:
    """A barcode scanner: the characters into whatever has the focus, then Enter."""
    for char in device_id:
        qtbot.keyClicks(QApplication.focusWidget(), char)  # type: ignore[no-untyped-call]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # type: ignore[no-untyped-call]


def qr_for(qtbot: QtBot, page: PairingPage, device_id: str) -> None:
    qtbot.waitUntil(lambda: page.ticket is not None and page.ticket.device_id == device_id, timeout=20_000)
    assert page.ticket_view.qr.showing and page.ticket_view.isVisible()


def waiting_for(qtbot: QtBot, window: MainWindow, device_id: str) -> PairingPage:
    """Ctrl+P, scan, Enter: the QR code for ``device_id`` on screen (the CA unlocked)."""
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    scan(qtbot, device_id)
    qr_for(qtbot, window.pairing, device_id)
    return window.pairing


def test_from_the_window_to_a_qr_code_in_three_steps(qtbot: QtBot, window: MainWindow, session: Session,
                                                     unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    window.show_page("dashboard")
    steps = 0
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # 1: Pair a device (Ctrl+P)
    steps += 1
    assert QApplication.focusWidget() is window.pairing.form.device_id
    qtbot.keyClicks(QApplication.focusWidget(), "ZM-501")  # type: ignore[no-untyped-call]  # 2: scan or type the ID
    steps += 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # type: ignore[no-untyped-call]  # 3: Enter
    steps += 1
    qr_for(qtbot, window.pairing, "ZM-501")
    assert steps <= 3


def test_a_scan_after_a_pairing_ended_starts_the_next_one(qtbot: QtBot, window: MainWindow, session: Session,
                                                           unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    page = waiting_for(qtbot, window, "ZM-511")
    page.ticket_view.cancel_button.click()  # ended, and nobody pressed Done
    qtbot.waitUntil(lambda: not page.pending, timeout=20_000)
    assert QApplication.focusWidget() is page.ticket_view.done_button

    scan(qtbot, "ZM-512")  # straight onto the ended pairing's screen
    qr_for(qtbot, page, "ZM-512")

    page.ticket_view.cancel_button.click()
    qtbot.waitUntil(lambda: not page.pending, timeout=20_000)
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P: back to the form
    assert page.pages.currentWidget() is page.form and QApplication.focusWidget() is page.form.device_id
    scan(qtbot, "ZM-513")
    qr_for(qtbot, page, "ZM-513")


def test_a_scan_while_a_pairing_waits_says_why_it_is_not_used(qtbot: QtBot, window: MainWindow, session: Session,
                                                               unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    page = waiting_for(qtbot, window, "ZM-521")
    scan(qtbot, "ZM-522")
    message = page.ticket_view.message
    assert message.isVisible() and "ZM-521 is still waiting" in message.text and "Cancel pairing" in message.text
    assert page.ticket is not None and page.ticket.device_id == "ZM-521"  # the pending pairing is untouched
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P says the same
    assert page.pages.currentWidget() is page.ticket_view and message.isVisible()


def test_the_idle_lock_says_what_it_did_to_the_code_on_screen(qtbot: QtBot, window: MainWindow, session: Session,
                                                              unlocked: UnlockedCa) -> None:
    window.pairing.clock = PinnedClock()
    session.set_unlocked(unlocked)
    page = waiting_for(qtbot, window, "ZM-531")
    view = page.ticket_view
    assert view.countdown.text() == "Expires in 30:00"
    with qtbot.waitSignal(session.lock_changed, timeout=10_000):
        session.set_idle_timeout(200)  # the idle lock, shortened: nobody touches the console
    assert not view.qr.showing and "locked itself" in view.qr.placeholder  # the code left the screen at once
    assert not view.countdown.isVisible()  # no countdown running on for a code that no longer exists
    qtbot.waitUntil(lambda: view.status_label.text() == "Cancelled: the console locked itself", timeout=20_000)
    assert "Expires in" not in " ".join(w.text() for w in view.findChildren(type(view.status_label))
                                        if w.isVisible())
    assert not page.pending and view.done_button.isEnabled() and not view.cancel_button.isEnabled()


def test_tab_follows_the_eye(qtbot: QtBot, window: MainWindow, session: Session, unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    page = window.pairing
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    form = page.form

    def tabbing(expected: list[QWidget]) -> None:
        for widget in expected:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # type: ignore[no-untyped-call]
            assert QApplication.focusWidget() is widget, (QApplication.focusWidget(), widget)

    assert QApplication.focusWidget() is form.device_id
    tabbing([form.ward, form.device_key, form.pair_button])
    form.device_id.setFocus()
    scan(qtbot, "ZM-541")
    qr_for(qtbot, page, "ZM-541")
    view = page.ticket_view
    assert QApplication.focusWidget() is view.cancel_button
    tabbing([view.new_code_button, view.save_qr_button, view.print_button, view.print_code])


def test_ctrl_q_asks_while_a_pairing_waits_or_the_service_runs(qtbot: QtBot, window: MainWindow, session: Session,
                                                               unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    page = waiting_for(qtbot, window, "ZM-551")
    press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    box = find_window(qtbot, QMessageBox, lambda b: b.objectName() == "quitQuestion")
    assert "ZM-551 is still waiting" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible() and page.pending  # nothing was lost

    page.ticket_view.cancel_button.click()
    qtbot.waitUntil(lambda: not page.pending, timeout=20_000)
    window.service.config = FREE_PORTS
    page.service_panel.button.click()
    qtbot.waitUntil(lambda: window.service.state is ServiceState.RUNNING, timeout=30_000)
    asked = window.quit()
    assert asked is not None and "provisioning service this console runs stops" in asked.text()
    asked.close()
    page.service_panel.button.click()
    qtbot.waitUntil(lambda: window.service.state is ServiceState.STOPPED, timeout=30_000)
    settle(qtbot, session)
    assert window.quit() is None and not window.isVisible()  # nothing to lose: it just closes
