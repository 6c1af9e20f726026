"""Starting the console the way a user does, and what it keeps between runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography import x509
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import make_window, press, settle
from zmconsole.core import ca, issuance, paths
from zmconsole.core.store import Store
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState

ROOT = Path(__file__).resolve().parents[2]


def console(scenario: str, config: Path, *args: str) -> dict[str, Any]:
    """Run ``zmconsole ARGS`` in its own process until the scenario's condition holds; what it saw."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.gui.console_driver", scenario, str(config), "--", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0, done.stderr
    return seen


def test_demo_from_the_command_line(tmp_path: Path) -> None:
    seen = console("demo", tmp_path / "config", "--demo")
    counts = seen["counts"]
    assert sum(counts.values()) == 300 and seen["devices"] == 300
    assert all(counts[s] > 0 for s in ("active", "expiring-90", "expiring-30", "expiring-7", "expired", "revoked"))
    assert seen["title"] == "Z Monitor Console — demo" and seen["demo_label"]
    assert seen["shown_title"] == "Z Monitor Console — demo"  # not "… — demo — Z Monitor Console"
    assert not Path(seen["home"]).exists()  # the throw-away store is gone


def test_passphrase_file_unlocks_at_start(tmp_path: Path, ca_subject: x509.Name) -> None:
    home = paths.ensure_home(tmp_path / "site")
    store = Store.open(home)
    ca.create(store, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    store.dispose()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    seen = console("unlocked", tmp_path / "config", "--home", str(home), "--passphrase-file", str(secret))
    assert seen["home"] == str(home)
    secret.write_text("wrong passphrase\n")
    seen = console("refused", tmp_path / "config", "--home", str(home), "--passphrase-file", str(secret))
    assert "does not open" in seen["message"] and seen["locked"]


def test_view_state_is_restored(qtbot: QtBot, session: Session, view_state: ViewState) -> None:
    first = make_window(qtbot, session, view_state)
    first.resize(first.width(), 720)  # the default is 760 high
    first.show_page("audit")
    first.devices.table.setColumnWidth(2, 321)
    first.close()
    assert view_state.geometry is not None and view_state.page == "audit"
    second = make_window(qtbot, session, view_state)
    assert second.current_page == "audit"
    assert second.height() == 720  # (the offscreen screen clamps the restored width to its own)
    assert second.devices.table.columnWidth(2) == 321
    settle(qtbot, session)
    second.close()


def test_refresh_reads_changes_made_elsewhere(qtbot: QtBot, window: MainWindow, session: Session,
                                              store: Store, unlocked: ca.UnlockedCa) -> None:
    settle(qtbot, session)
    assert window.devices.model.total == 0
    issuance.issue_device(store, unlocked, "ZM-777", generate="ec-p256")  # as the CLI would
    window.show_page("devices")
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.devices.model.total == 1, timeout=10_000)
    assert window.statusBar().currentMessage() == "Refreshed."


