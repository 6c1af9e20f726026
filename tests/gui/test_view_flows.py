"""What breaks at the moment an officer looks: a double-click opens one dialog, Ctrl+F finds every device."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot

from tests.conftest import build_csr
from tests.gui.conftest import find_window, press, settle
from zmconsole.core import issuance
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session


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
