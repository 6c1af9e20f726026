"""Bulk issuance from CSV: progress, a summary naming every refused row by line, and cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.gui.conftest import FakeFiles, find_window, settle, unlock_with
from zmconsole.core import inventory
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.bulk import BulkDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session

CSV = """device_id,ward,location
ZM-201,ICU,Room 1
bed 7,ICU,Room 2
ZM-201,ICU,Room 3
ZM-203,ICU
ZM-204,Cardiology,"Room 5, bed A"
"""


def prepare(qtbot: QtBot, window: MainWindow, files: FakeFiles, tmp_path: Path, text: str) -> BulkDialog:
    csv_file, out = tmp_path / "ward.csv", tmp_path / "out"
    csv_file.write_text(text, encoding="utf-8")
    files.open_paths, files.folders = [csv_file], [out]
    window.bulk_action.trigger()
    dialog = find_window(qtbot, BulkDialog)
    assert not dialog.start_button.isEnabled()
    dialog.findChild(type(dialog.start_button), "chooseCsv").click()
    dialog.findChild(type(dialog.start_button), "chooseOut").click()
    qtbot.waitUntil(lambda: "rows to issue" in dialog.preview.text())  # parsed in a worker
    dialog.key_type.setCurrentIndex(dialog.key_type.findData("ec-p256"))
    return dialog


def test_bulk_csv_with_bad_rows(qtbot: QtBot, window: MainWindow, session: Session, store: Store, files: FakeFiles,
                                tmp_path: Path) -> None:
    dialog = prepare(qtbot, window, files, tmp_path, CSV)
    assert dialog.preview.text() == "3 rows to issue; 2 rows refused already (shown in the summary)."
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=30_000)
    assert dialog.summary.text().startswith("2 certificates issued into") and "3 rows refused" in dialog.summary.text()
    rows = dialog.outcomes.rows
    assert [(line, device) for line, device, _ in rows] == [(2, "ZM-201"), (3, "bed 7"), (4, "ZM-201"),
                                                            (5, "ZM-203"), (6, "ZM-204")]
    reasons = {line: text for line, _, text in rows}
    assert reasons[2].startswith("issued, serial ") and reasons[6].startswith("issued, serial ")
    assert "does not match the site pattern" in reasons[3]
    assert "listed twice (first on line 2)" in reasons[4]
    assert "2 fields but the header has 3" in reasons[5]
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == {"ca.crt.pem", "ZM-201.crt.pem", "ZM-201.key.pem", "ZM-201.p12",
                                               "ZM-204.crt.pem", "ZM-204.key.pem", "ZM-204.p12"}
    settle(qtbot, session)
    assert window.devices.model.total == 2
    assert inventory.device(store, session.settings, "ZM-204")[0].location == "Room 5, bed A"


def test_bulk_cancel(qtbot: QtBot, window: MainWindow, session: Session, store: Store, files: FakeFiles,
                     tmp_path: Path, unlocked: object) -> None:
    session.set_unlocked(unlocked)  # type: ignore[arg-type]
    rows = "\n".join(f"ZM-{n},ICU,Room {n}" for n in range(300, 340))
    dialog = prepare(qtbot, window, files, tmp_path, "device_id,ward,location\n" + rows + "\n")
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=20_000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=20_000)
    assert dialog.outcome is not None and dialog.outcome.cancelled
    assert "Cancelled" in dialog.summary.text()
    issued = len(dialog.outcome.issued)
    assert 1 <= issued < 40
    assert inventory.count_devices(store, session.settings) == issued
    settle(qtbot, session)


def test_a_file_without_device_ids_is_refused(qtbot: QtBot, window: MainWindow, session: Session, files: FakeFiles,
                                              tmp_path: Path) -> None:
    csv_file = tmp_path / "wrong.csv"
    csv_file.write_text("name,ward\nZM-1,ICU\n", encoding="utf-8")
    files.open_paths = [csv_file]
    dialog = window.bulk_issue()
    with qtbot.waitSignal(session.errors.shown) as shown:
        dialog.findChild(type(dialog.start_button), "chooseCsv").click()
    assert "has no device_id column" in shown.args[1]
    assert dialog.rows == [] and not dialog.start_button.isEnabled()
    assert dialog.csv_path.text() == str(csv_file) and "has no device_id column" in dialog.preview.text()


def test_a_typed_path_is_read_and_the_result_keeps_the_password(qtbot: QtBot, window: MainWindow, session: Session,
                                                                files: FakeFiles, tmp_path: Path) -> None:
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("device_id,ward,location\nZM-301,ICU,Room 1\nZM-302,ICU," + "a very long location " * 12
                        + "\n", encoding="utf-8")
    window.bulk_action.trigger()
    dialog = find_window(qtbot, BulkDialog)
    dialog.csv_path.setFocus()
    qtbot.keyClicks(dialog.csv_path, str(tmp_path / "missing.csv"))
    qtbot.keyClick(dialog.csv_path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "missing.csv" in dialog.preview.text())  # said plainly, not silently ignored
    assert dialog.csv_path.text().endswith("missing.csv")  # kept, to be corrected
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.close()
    dialog.csv_path.clear()
    qtbot.keyClicks(dialog.csv_path, str(csv_file))
    qtbot.keyClick(dialog.csv_path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "to issue" in dialog.preview.text())
    qtbot.keyClicks(dialog.out_dir, str(tmp_path / "out"))
    assert dialog.start_button.isEnabled()
    dialog.key_type.setCurrentIndex(dialog.key_type.findData("ec-p256"))
    password = dialog.password.text()
    dialog.start_button.click()
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=30_000)
    settle(qtbot, session)
    summary = dialog.summary.text()
    assert summary.startswith("1 certificate issued into") and summary.endswith("1 row refused.")
    assert dialog.result_password.text() == password and dialog.result_password.isVisible()
    row = next(r for r, (_line, device, _text) in enumerate(dialog.outcomes.rows) if device == "ZM-302")
    index = dialog.outcomes.index(row, 2)
    text = dialog.outcomes.data(index)
    assert text.startswith("refused:") and dialog.outcomes.data(index, Qt.ItemDataRole.ToolTipRole) == text
    assert dialog.table.currentIndex().row() == row  # the first refused row, its whole reason below the table
    assert dialog.detail.text() == f"Line 3, ZM-302: {text}" and dialog.detail.wordWrap()
    assert dialog.detail.isVisible()
