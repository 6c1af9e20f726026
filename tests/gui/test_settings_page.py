"""The Settings page: the wheel does not change a value the operator did not pick, a changed page is marked and
leaving it asks, and saving while the CA is locked needs the unlock (audited with old and new values)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import find_window, unlock_with
from zmconsole.core import audit, settings
from zmconsole.core.store import Store
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session


def wheel(widget: QSpinBox, steps: int) -> None:
    """A real wheel event over the widget: ``steps`` notches up."""
    at = QPointF(widget.rect().center())
    event = QWheelEvent(at, QPointF(widget.mapToGlobal(QPoint(int(at.x()), int(at.y())))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_only_a_focused_field(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("settings")
    page = window.settings_page
    urgent = page.fields["threshold_urgent"]
    assert isinstance(urgent, QSpinBox) and urgent.value() == 7
    wheel(urgent, -2)  # scrolling the page over the field
    assert urgent.value() == 7 and not page.has_changes() and page.unsaved.text() == ""
    urgent.setFocus()
    qtbot.waitUntil(urgent.hasFocus)
    wheel(urgent, -2)
    assert urgent.value() == 5
    assert page.has_changes() and "Unsaved changes" in page.unsaved.text() and page.save.isEnabled()


def test_leaving_with_unsaved_changes_asks(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    window.show_page("settings")
    page = window.settings_page
    assert not page.save.isEnabled()  # nothing to save yet
    page.fields["threshold_warn"].setValue(75)  # type: ignore[union-attr]
    window.nav.setCurrentRow(1)  # the Devices page, by the navigation
    box = find_window(qtbot, QMessageBox, lambda b: b.objectName() == "leaveSettings")
    assert window.current_page == "settings"  # until answered
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.current_page == "settings" and page.has_changes()

    window.show_page("devices")
    box = find_window(qtbot, QMessageBox, lambda b: b.objectName() == "leaveSettings")
    box.button(QMessageBox.StandardButton.Discard).click()
    assert window.current_page == "devices" and not page.has_changes()
    assert settings.load(store).threshold_warn == 90  # nothing stored


def test_saving_while_locked_needs_the_unlock_and_is_audited(qtbot: QtBot, window: MainWindow, session: Session,
                                                           store: Store) -> None:
    assert session.locked
    window.show_page("settings")
    page = window.settings_page
    page.fields["idle_lock_minutes"].setValue(3)  # type: ignore[union-attr]
    page.save.click()
    assert settings.load(store).idle_lock_minutes == 10  # not before the unlock
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: settings.load(store).idle_lock_minutes == 3)
    assert audit.entries(store, action_prefix="settings.")[0].details == {"idle-lock-minutes": {"old": 10, "new": 3}}
    assert not page.has_changes()
