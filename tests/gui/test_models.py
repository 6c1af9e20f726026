"""The table models: pytest-qt's model tester on each, and windowed loading of a store larger than a page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.gui.conftest import settle
from zmconsole.core import audit, inventory, issuance
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.device_details import DeviceDetailsDialog
from zmconsole.gui.models.audit import AuditModel
from zmconsole.gui.models.columns import Role
from zmconsole.gui.models.devices import DevicesModel
from zmconsole.gui.models.paged import PagedTableModel
from zmconsole.gui.session import Session
from zmconsole.gui.views.dashboard import DashboardPage


def loaded(qtbot: QtBot, model: PagedTableModel) -> None:
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.refresh()


def test_devices_model(qtbot: QtBot, qtmodeltester: ModelTester, devices: list[str], session: Session) -> None:
    model = DevicesModel(session)
    loaded(qtbot, model)
    assert model.rowCount() == 12
    qtmodeltester.check(model)
    first = model.index(0, 3)
    assert model.data(first) == "Active"  # text, not colour alone
    assert model.data(first, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(first, Qt.ItemDataRole.BackgroundRole) is not None
    assert isinstance(model.data(model.index(0, 0), Role.ITEM), inventory.DeviceRow)
    with qtbot.waitSignal(model.loaded):
        model.set_filter(search="cardio")
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    with qtbot.waitSignal(model.loaded):
        model.set_filter(search="", status=["revoked"])
    assert model.rowCount() == 0
    qtmodeltester.check(model)


@pytest.mark.parametrize("column", range(7))
def test_every_column_sorts_in_the_database(qtbot: QtBot, devices: list[str], session: Session, column: int) -> None:
    model = DevicesModel(session)
    loaded(qtbot, model)
    key = model.columns[column].sort_key
    assert key is not None
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):  # each a change from ID ascending
        with qtbot.waitSignal(model.loaded):
            model.sort(column, order)
        expected = inventory.list_devices(session.store, session.settings, now=model.make_query().now,
                                          order_by=key, descending=order == Qt.SortOrder.DescendingOrder)
        assert [model.item(r).device_id for r in range(model.rowCount())] == [d.device_id for d in expected]


def test_pages_load_as_they_are_needed(qtbot: QtBot, qtmodeltester: ModelTester, devices: list[str],
                                      session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PagedTableModel, "PAGE_SIZE", 5)
    monkeypatch.setattr(PagedTableModel, "MAX_PAGES", 2)
    model = DevicesModel(session)
    loaded(qtbot, model)
    assert model.rowCount() == 12  # the total, from a count query
    assert model.item(4) is not None and model.item(5) is None  # only the first page so far
    assert model.data(model.index(5, 0)) == "Loading…"
    with qtbot.waitSignal(model.dataChanged):
        pass
    assert model.item(5).device_id == "ZM-006"
    model.item(11)
    qtbot.waitUntil(lambda: model.item(11) is not None)
    assert model.item(11).device_id == "ZM-012"
    qtbot.waitUntil(lambda: len(model._pages) <= 2)  # bounded: the oldest page was dropped
    qtmodeltester.check(model)
    settle(qtbot, session)


def test_audit_model(qtbot: QtBot, qtmodeltester: ModelTester, devices: list[str], session: Session) -> None:
    model = AuditModel(session)
    loaded(qtbot, model)
    assert model.rowCount() == audit.count(session.store)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "cert.issued"
    with qtbot.waitSignal(model.loaded):
        model.set_filter(action_prefix="ca.")
    assert [model.item(r).action for r in range(model.rowCount())] == ["ca.created"]
    with qtbot.waitSignal(model.loaded):
        model.set_filter(action_prefix="", search="ZM-007")
    assert model.rowCount() == 1
    qtmodeltester.check(model)


def test_list_models(qtbot: QtBot, qtmodeltester: ModelTester, devices: list[str], session: Session,
                     store: Store, unlocked: UnlockedCa) -> None:
    issuance.issue_device(store, unlocked, "ZM-001", generate="ec-p256", renew=True)
    dialog = DeviceDetailsDialog(session, "ZM-001")
    qtbot.addWidget(dialog)
    assert dialog.history_model.rowCount() == 2
    qtmodeltester.check(dialog.history_model)
    qtmodeltester.check(dialog.audit_model)
    page = DashboardPage(session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    qtmodeltester.check(page.items)
    settle(qtbot, session)
