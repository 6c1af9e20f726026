"""The devices page driven like a person would: type a search, pick a status, click a header, double-click."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.gui.conftest import find_window, press, settle
from zmconsole.core import issuance, revocation
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session


def ids(window: MainWindow) -> list[str]:
    model = window.devices.model
    return [model.item(row).device_id for row in range(model.rowCount())]


def test_search_filter_and_sort(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                store: Store) -> None:
    revocation.revoke(store, "ZM-005", "lost")
    window.refresh()
    settle(qtbot, session)
    page = window.devices
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search box
    assert window.current_page == "devices" and page.search.hasFocus()
    with qtbot.waitSignal(page.model.loaded, timeout=5_000):
        qtbot.keyClicks(page.search, "maternity")  # the query runs after a pause in typing
    assert ids(window) == ["ZM-003", "ZM-006", "ZM-009", "ZM-012"]
    assert page.count.text() == "4 devices shown"

    with qtbot.waitSignal(page.model.loaded):
        page.status.setCurrentIndex(page.status.findText("Revoked"))
    assert ids(window) == []
    with qtbot.waitSignal(page.model.loaded):
        page.search.clear()
    assert ids(window) == ["ZM-005"]
    assert page.model.data(page.model.index(0, 3)) == "Revoked"
    assert "Lost" in page.model.data(page.model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(page.model.loaded):
        page.status.setCurrentIndex(0)  # all statuses
    assert len(ids(window)) == 12

    header = page.table.horizontalHeader()
    ward = QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2)
    with qtbot.waitSignal(page.model.loaded):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=ward)
    first = [page.model.item(r).ward for r in range(12)]
    with qtbot.waitSignal(page.model.loaded):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=ward)
    second = [page.model.item(r).ward for r in range(12)]
    assert first != second and sorted(first) in (first, second) and sorted(first, reverse=True) in (first, second)


def test_double_click_opens_the_details(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                        store: Store) -> None:
    window.show_page("devices")
    settle(qtbot, session)
    table = window.devices.table
    rect = table.visualRect(window.devices.model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    details = find_window(qtbot, DeviceDetailsDialog)
    assert details.device_id == "ZM-002"
    assert details.windowTitle() == "Device ZM-002"
    labels = {details.tabs.tabText(i) for i in range(details.tabs.count())}
    assert labels == {"&Certificate", "&History (1)", "&Audit (1)"}
    assert details.history_model.item(0).serial == details.summary.serial
    assert details.audit_model.item(0).action == "cert.issued"
    details.close()
    settle(qtbot, session)


def test_a_dashboard_tile_lists_its_devices(qtbot: QtBot, devices: list[str], window: MainWindow,
                                           session: Session) -> None:
    settle(qtbot, session)
    assert window.dashboard.tiles["active"].count == 12
    with qtbot.waitSignal(window.devices.model.loaded):
        window.dashboard.tiles["active"].click()
    assert window.current_page == "devices" and len(ids(window)) == 12
    assert window.devices.status.currentText() == "Active"


def test_the_details_show_the_lineage(qtbot: QtBot, devices: list[str], session: Session, store: Store,
                                      unlocked: UnlockedCa) -> None:
    """A console renewal: the new certificate says what it replaces, the old one when its grace ends."""
    renewed = issuance.issue_device(store, unlocked, "ZM-003", generate="ec-p256", renew=True)
    details = DeviceDetailsDialog(session, "ZM-003")
    qtbot.addWidget(details)
    model = details.history_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    made, replaces, grace = (headers.index(h) for h in ("Made by", "Replaces", "Valid until (grace, UTC)"))
    new, old = (details.history_model.item(row) for row in range(2))
    assert new.serial == renewed.serial
    assert model.index(0, made).data() == "renewed from the console"
    assert model.index(0, replaces).data() == old.serial
    assert model.index(1, grace).data() != "—" and model.index(1, made).data() == "issued"
    assert "Renewed from the console" in details.findChild(QLabel, "detailsTitle").text()
