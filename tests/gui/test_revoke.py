"""Revoke by clicking: select two devices, Delete, pick the reason, confirm; the CRL and the dashboard follow."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import find_window, press, settle, unlock_with
from zmconsole.core import audit, revocation, settings
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.revoke import RevokeDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session


def select(window: MainWindow, rows: list[int]) -> None:
    selection = window.devices.table.selectionModel()
    for row in rows:
        selection.select(window.devices.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_revoke_two_devices(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                            store: Store) -> None:
    settle(qtbot, session)
    assert window.revocation.number.text() == "none yet"
    assert window.dashboard.tiles["revoked"].count == 0 and window.dashboard.tiles["active"].count == 12
    window.show_page("devices")
    assert not window.revoke_action.isEnabled()  # nothing selected
    select(window, [2, 4])
    assert window.revoke_action.isEnabled()
    window.devices.table.setFocus()
    press(qtbot, window, Qt.Key.Key_Delete)
    dialog = find_window(qtbot, RevokeDialog)
    assert dialog.device_ids == ["ZM-003", "ZM-005"]
    assert [dialog.names.item(i).text() for i in range(dialog.names.count())] == \
        ["ZM-003 — Maternity, Room 3", "ZM-005 — Cardiology, Room 5"]
    assert not dialog.revoke_button.isEnabled()  # a reason must be chosen
    assert [b.text().split(" — ")[0] for b in dialog.buttons_by_reason.values()] == \
        ["Lost", "Compromised", "Decommissioned"]
    dialog.buttons_by_reason["decommissioned"].click()
    assert dialog.revoke_button.isEnabled() and "ZM-003, ZM-005" in dialog.revoke_button.text()
    dialog.revoke_button.click()
    unlock_with(qtbot)  # the session was locked: signing the CRL asks once
    qtbot.waitUntil(lambda: window.revocation.entries.text() == "2", timeout=20_000)
    settle(qtbot, session)

    assert window.revocation.number.text() == "1"
    assert window.dashboard.tiles["revoked"].count == 2 and window.dashboard.tiles["active"].count == 10
    assert window.revocation.revoked.total == 2
    assert "CRL 1 now lists 2 certificates" in window.statusBar().currentMessage()
    crl = revocation.latest_crl(store)
    assert crl is not None and crl.entries == 2
    reasons = [e.details["reason"] for e in audit.entries(store, action_prefix="cert.revoked")]
    assert reasons == ["decommissioned", "decommissioned"]


def test_cancel_revokes_nothing(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                store: Store) -> None:
    settle(qtbot, session)
    window.show_page("devices")
    select(window, [0])
    window.revoke_action.trigger()
    dialog = find_window(qtbot, RevokeDialog)
    dialog.buttons_by_reason["lost"].click()
    dialog.reject()
    settle(qtbot, session)
    assert audit.entries(store, action_prefix="cert.revoked") == []


def test_already_revoked_is_reported(qtbot: QtBot, devices: list[str], window: MainWindow, session: Session,
                                     store: Store, unlocked: UnlockedCa) -> None:
    revocation.revoke(store, "ZM-001", "lost")
    session.set_unlocked(unlocked)
    dialog = window.revoke_devices(["ZM-001", "ZM-002"])
    assert dialog is not None
    dialog.buttons_by_reason["compromised"].click()
    dialog.revoke_button.click()
    outcome = find_window(qtbot, QMessageBox, lambda box: box.objectName() == "revokeOutcome")
    assert "ZM-001 is already revoked" in outcome.text() and "Revoked ZM-002 (Compromised)" in outcome.text()
    settle(qtbot, session)


def test_the_new_crl_is_published_or_the_failure_shown(qtbot: QtBot, devices: list[str], window: MainWindow,
                                                       session: Session, store: Store, unlocked: UnlockedCa,
                                                       tmp_path: Path) -> None:
    session.set_unlocked(unlocked)
    settings.set_value(store, "crl-publish-dir", str(tmp_path / "www"))
    dialog = window.revoke_devices(["ZM-001"])
    assert dialog is not None
    dialog.buttons_by_reason["lost"].click()
    dialog.revoke_button.click()
    qtbot.waitUntil(lambda: "Published to" in window.statusBar().currentMessage(), timeout=20_000)
    assert (tmp_path / "www" / "crl.der").read_bytes() == revocation.latest_crl(store).der  # type: ignore[union-attr]
    settle(qtbot, session)

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.set_value(store, "crl-publish-dir", str(blocker))
    dialog = window.revoke_devices(["ZM-002"])
    assert dialog is not None
    dialog.buttons_by_reason["lost"].click()
    dialog.revoke_button.click()
    outcome = find_window(qtbot, QMessageBox, lambda box: box.objectName() == "revokeOutcome")
    assert outcome.windowTitle() == "The new CRL was not published"
    assert "Revoked ZM-002" in outcome.text() and "crl-publish-dir" in outcome.text()
    settle(qtbot, session)
