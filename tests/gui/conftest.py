"""Fixtures for driving the real console widgets offscreen.

Nothing here replaces the code under test: the session, the store and the core
are real. Only the two things a test cannot click are answered directly: the
native file dialogs (:class:`FakeFiles`) and, through ``set_idle_timeout``,
the ten minutes the idle lock would otherwise wait.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE, build_csr
from zmconsole.core import ca, issuance
from zmconsole.core.store import Store
from zmconsole.gui import collector
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState

W = TypeVar("W", bound=QWidget)


class FakeFiles:
    """Answers the console's file questions with paths the test chose; records what was asked."""

    def __init__(self) -> None:
        self.open_paths: list[Path] = []
        self.save_paths: list[Path] = []
        self.folders: list[Path] = []
        self.asked: list[str] = []

    def open_file(self, parent: QWidget | None, title: str, filters: str) -> Path | None:
        self.asked.append(title)
        return self.open_paths.pop(0) if self.open_paths else None

    def save_file(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
        self.asked.append(title)
        return self.save_paths.pop(0) if self.save_paths else None

    def folder(self, parent: QWidget | None, title: str) -> Path | None:
        self.asked.append(title)
        return self.folders.pop(0) if self.folders else None


@pytest.fixture
def files() -> FakeFiles:
    return FakeFiles()


@pytest.fixture
def view_state(tmp_path: Path) -> ViewState:
    return ViewState(QSettings(str(tmp_path / "view.ini"), QSettings.Format.IniFormat))


def _session(store: Store, home: Path, files: FakeFiles) -> Session:
    return Session(store, home=home, files=files)  # type: ignore[arg-type]


@pytest.fixture
def empty_session(qapp: QApplication, store: Store, home: Path, files: FakeFiles) -> Iterator[Session]:
    """A session on a store with no CA yet (the first run)."""
    session = _session(store, home, files)
    yield session
    session.close()


@pytest.fixture
def session(qapp: QApplication, store: Store, home: Path, files: FakeFiles,
            unlocked: ca.UnlockedCa) -> Iterator[Session]:
    """A session on a store with an EC P-384 CA, locked (as after a restart)."""
    opened = _session(store, home, files)
    yield opened
    opened.close()


@pytest.fixture
def devices(store: Store, unlocked: ca.UnlockedCa) -> list[str]:
    """Twelve devices issued from CSRs, across three wards."""
    ids = [f"ZM-{n:03d}" for n in range(1, 13)]
    for number, device_id in enumerate(ids):
        ward = ("ICU", "Cardiology", "Maternity")[number % 3]
        issuance.issue_device(store, unlocked, device_id, csr=build_csr(device_id, ou=ward),
                              location=f"Room {number + 1}")
    return ids


def make_window(qtbot: QtBot, session: Session, view_state: ViewState) -> MainWindow:
    window = MainWindow(session, view_state)
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


@pytest.fixture
def window(qtbot: QtBot, session: Session, view_state: ViewState) -> Iterator[MainWindow]:
    opened = make_window(qtbot, session, view_state)
    yield opened
    opened.close()  # before the session closes, as the application does


@pytest.fixture(scope="session", autouse=True)
def _collect_on_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As the application does (gui/collector.py): garbage holding Qt objects is never freed in a worker."""
    installed = collector.install(qapp)
    yield
    installed.stop()


@pytest.fixture(autouse=True)
def _close_dialogs(qapp: QApplication) -> Iterator[None]:
    yield
    for widget in qapp.topLevelWidgets():
        if widget.isVisible():
            widget.close()


def find_window(qtbot: QtBot, kind: type[W], where: Callable[[W], bool] = lambda _w: True) -> W:
    """Wait for a visible top-level window (dialog) of ``kind`` and return it."""
    found: list[W] = []

    def visible() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, kind) and w.isVisible() and where(w)]
        return bool(found)

    qtbot.waitUntil(visible, timeout=10_000)
    return found[-1]


def unlock_with(qtbot: QtBot, passphrase: str = PASSPHRASE) -> None:
    """Answer the unlock dialog that an operation opened."""
    from zmconsole.gui.dialogs.unlock import UnlockDialog

    dialog = find_window(qtbot, UnlockDialog)
    dialog.passphrase.setText(passphrase)
    dialog.unlock_button.click()


def settle(qtbot: QtBot, session: Session) -> None:
    """Wait until no worker is running and every result has been delivered."""
    qtbot.waitUntil(lambda: not session.tasks.busy, timeout=20_000)


def press(qtbot: QtBot, window: QWidget, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """Type a shortcut into the (re-activated) window, as a person would after closing a dialog.

    The offscreen platform does not give the activation back to the main window when a dialog closes.
    """
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
