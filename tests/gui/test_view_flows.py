"""What breaks at the moment an officer looks: a double-click opens one dialog, Ctrl+F finds every device."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.conftest import build_csr
from tests.gui.conftest import find_window, press, settle
from zmconsole.core import audit, issuance, revocation
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.certificate import ExportPanel
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.dialogs.revoke import RevokeDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState


def open_details() -> list[DeviceDetailsDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, DeviceDetailsDialog) and w.isVisible()]


def double_click_row(qtbot: QtBot, table: QAbstractItemView, row: int) -> None:
    """Press, release, press-release-as-double-click: the events a real double-click sends."""
    center = table.visualRect(table.model().index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)


def test_one_double_click_opens_one_details_dialog(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                   session: Session, store: Store, unlocked: UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-090", csr=build_csr("ZM-090"), days=30,
                          now=session.now() - timedelta(days=25))  # 5 days left: on the dashboard's list
    window.refresh()
    settle(qtbot, session)
    window.show_page("devices")
    double_click_row(qtbot, window.devices.table, 1)
    find_window(qtbot, DeviceDetailsDialog)
    settle(qtbot, session)
    assert [d.device_id for d in open_details()] == ["ZM-002"]
    open_details()[0].close()

    window.show_page("dashboard")
    table = window.dashboard.table
    row = next(r for r in range(window.dashboard.items.rowCount()) if window.dashboard.items.item(r).name == "ZM-090")
    double_click_row(qtbot, table, row)
    find_window(qtbot, DeviceDetailsDialog)
    settle(qtbot, session)
    assert [d.device_id for d in open_details()] == ["ZM-090"]


def test_ctrl_f_searches_every_device(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session) -> None:
    settle(qtbot, session)
    page = window.devices
    window.show_page("devices")
    with qtbot.waitSignal(page.model.loaded):
        page.status.setCurrentIndex(page.status.findText("Revoked"))  # left over from an earlier look
    assert "only “Revoked”" in page.count.text()  # the hidden filter is named
    with qtbot.waitSignal(page.model.loaded):
        press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.status.currentIndex() == 0 and page.search.hasFocus()
    with qtbot.waitSignal(page.model.loaded, timeout=5_000):
        qtbot.keyClicks(page.search, "ZM-007")
    assert [page.model.item(r).device_id for r in range(page.model.rowCount())] == ["ZM-007"]
    assert page.count.text() == "1 device shown"


def right_click(qtbot: QtBot, table: QAbstractItemView, row: int) -> None:
    """A right-click on a row: the press, and the context-menu event the window system sends with it (a test's
    synthetic mouse events do not make one)."""
    viewport = table.viewport()
    pos = table.visualRect(table.model().index(row, 0)).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=pos)
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos)))


def menu_click(qtbot: QtBot, menu: QMenu | None, name: str) -> None:
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def test_revoking_a_visible_device_takes_three_interactions(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                            session: Session, store: Store,
                                                            unlocked: UnlockedCa) -> None:
    session.set_unlocked(unlocked)
    window.show_page("devices")
    settle(qtbot, session)
    table = window.devices.table
    assert not window.revoke_action.isEnabled()  # nothing selected
    interactions = 0
    right_click(qtbot, table, 3)  # 1: right-click ZM-004
    interactions += 1
    menu_click(qtbot, window.devices.context_menu, "revoke-lost")  # 2: "Revoke: lost…"
    interactions += 1
    dialog = find_window(qtbot, RevokeDialog)
    assert dialog.device_ids == ["ZM-004"] and dialog.reason == "lost"
    assert dialog.names.item(0).text() == "ZM-004 — ICU, Room 4"  # the device with its ward and location
    qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)  # 3: confirm
    interactions += 1
    qtbot.waitUntil(lambda: window.revocation.entries.text() == "1", timeout=20_000)
    settle(qtbot, session)
    assert interactions <= 3
    assert [e.details["reason"] for e in audit.entries(store, action_prefix="cert.revoked")] == ["lost"]
    assert [e.subject for e in audit.entries(store, action_prefix="cert.revoked")] == \
        ["ZM-004"]

    # Selected again, the revoked device offers no revoke: nothing there is revocable.
    table.clearSelection()
    table.selectRow(next(r for r in range(12) if window.devices.model.item(r).device_id == "ZM-004"))
    assert not window.revoke_action.isEnabled()
    right_click(qtbot, table, table.selectionModel().selectedRows()[0].row())
    menu = window.devices.context_menu
    assert menu is not None and not any(a.isEnabled() for a in menu.actions() if a.objectName().startswith("revoke"))
    menu.close()


def test_arrow_keys_choose_the_reason(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session) -> None:
    window.show_page("devices")
    settle(qtbot, session)
    window.devices.table.selectRow(0)
    window.revoke_action.trigger()
    dialog = find_window(qtbot, RevokeDialog)
    qtbot.waitUntil(lambda: dialog.buttons_by_reason["lost"].hasFocus())
    assert dialog.reason is None and not dialog.revoke_button.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.reason == "lost"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert dialog.reason == "compromised" and dialog.revoke_button.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert dialog.reason == "lost"
    dialog.reject()


def test_the_dashboard_list_revokes_from_its_context_menu(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                          session: Session, store: Store,
                                                          unlocked: UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-090", csr=build_csr("ZM-090", ou="ICU"), location="Bed 9", days=30,
                          now=session.now() - timedelta(days=25))
    window.refresh()
    settle(qtbot, session)
    table = window.dashboard.table
    row = next(r for r in range(window.dashboard.items.rowCount()) if window.dashboard.items.item(r).name == "ZM-090")
    right_click(qtbot, table, row)
    menu_click(qtbot, window.dashboard.context_menu, "revoke-compromised")
    dialog = find_window(qtbot, RevokeDialog)
    assert dialog.reason == "compromised" and dialog.names.item(0).text() == "ZM-090 — ICU, Bed 9"
    dialog.reject()


def test_the_revocation_view_gives_reason_and_revoked_on(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                         session: Session, store: Store) -> None:
    revocation.revoke(store, "ZM-005", "compromised")
    window.refresh()
    window.show_page("revocation")
    settle(qtbot, session)
    model = window.revocation.revoked
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Device ID", "Ward", "Location", "Reason", "Revoked on (UTC)", "Serial"]
    assert "Days left" not in headers
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[:4] == ["ZM-005", "Cardiology", "Room 5", "Compromised"]
    assert row[4].startswith(f"{session.now():%Y-%m-%d}")


def test_the_status_bar_says_no_ca_yet(qtbot: QtBot, empty_session: Session, view_state: ViewState) -> None:
    window = MainWindow(empty_session, view_state)
    qtbot.addWidget(window)
    window.show()
    assert window.lock_label.text() == "No CA yet"


def test_a_header_click_updates_the_sort_box(qtbot: QtBot, devices: list[str], window: MainWindow,
                                             session: Session) -> None:
    window.show_page("devices")
    settle(qtbot, session)
    page = window.devices
    assert page.sort.currentText() == "Device ID, ascending"
    header = page.table.horizontalHeader()
    with qtbot.waitSignal(page.model.loaded):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2))
    assert page.sort.currentText() == "Ward, ascending"
    with qtbot.waitSignal(page.model.loaded):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2))
    assert page.sort.currentText() == "Ward, descending"


def test_no_pkcs12_password_without_a_key_to_export(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                    session: Session) -> None:
    settle(qtbot, session)
    details = window.show_details("ZM-001")  # its key was made on the device
    qtbot.waitUntil(details.isVisible)
    panel = details.findChild(ExportPanel)
    assert panel is not None and not panel.password.isVisible() and not panel.p12.isVisible()
    assert "does not hold this key" in panel.held_note.text()


def test_the_dashboard_says_when_nothing_needs_action(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                      session: Session) -> None:
    window.show_page("dashboard")
    settle(qtbot, session)
    qtbot.waitUntil(lambda: window.dashboard.report is not None)
    assert window.dashboard.empty.isVisible() and not window.dashboard.table.isVisible()
    assert "Nothing needs action" in window.dashboard.empty.text()
    assert not window.dashboard.renewing_box.isVisible()  # no device renews itself: no empty list either


def test_the_view_menu_chooses_light_or_dark(qtbot: QtBot, window: MainWindow, view_state: ViewState) -> None:
    titles = [a.text() for a in window.view_menu.actions()]
    assert "&Theme" in titles
    try:
        window.theme_actions["dark"].trigger()
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert QApplication.palette().color(QPalette.ColorRole.WindowText).lightness() > 200
        assert view_state.theme == "dark" and window.theme_actions["dark"].isChecked()
        window.theme_actions["light"].trigger()
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 180
        assert view_state.theme == "light"
    finally:
        window.choose_theme("system")
    assert view_state.theme == "system"


def test_every_reason_is_readable_whole(qtbot: QtBot, devices: list[str], window: MainWindow,
                                        session: Session) -> None:
    dialog = window.revoke_devices(["ZM-001"])
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    for button in dialog.buttons_by_reason.values():
        assert button.width() >= button.sizeHint().width(), button.text()  # not cut at the dialog's edge
    dialog.reject()
