"""Run the real ``zmconsole`` entry point in its own process, quit when a scenario's condition holds, and print
what was seen as JSON on the last line. Used by test_app.py: ``app.exec()`` leaves process-wide Qt state behind
that would disturb the other tests, so the console's own event loop runs here, not in pytest's process.

    python -m tests.gui.console_driver SCENARIO CONFIG_DIR -- zmconsole arguments...
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from zmconsole.cli.main import main
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.main_window import MainWindow


def demo_ready(window: MainWindow) -> dict[str, Any] | None:
    session, report = window.session, window.dashboard.report
    if session.unlocked is None or session.tasks.busy or report is None or window.devices.model.total == 0:
        return None
    title, name = window.windowTitle(), QApplication.applicationDisplayName()
    shown = title if not name or title.endswith(name) else f"{title} \u2014 {name}"  # as the platform formats it
    return {"counts": report.counts, "devices": window.devices.model.total, "title": title, "shown_title": shown,
            "home": str(session.home), "demo_label": window.findChild(object, "demoLabel") is not None}


def unlocked(window: MainWindow) -> dict[str, Any] | None:
    return {"home": str(window.session.home)} if not window.session.locked else None


def refused(window: MainWindow) -> dict[str, Any] | None:
    messages = [d.message.text for d in window.findChildren(UnlockDialog) if d.message.text]
    return {"message": messages[0], "locked": window.session.locked} if messages else None


SCENARIOS: dict[str, Callable[[MainWindow], dict[str, Any] | None]] = {
    "demo": demo_ready, "unlocked": unlocked, "refused": refused}


def drive(scenario: str, config_dir: str, argv: list[str]) -> int:
    app = QApplication(sys.argv[:1])
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, config_dir)
    condition = SCENARIOS[scenario]
    seen: dict[str, Any] = {}

    def check() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        facts = condition(windows[0]) if windows else None
        if facts is None:
            QTimer.singleShot(50, check)
            return
        seen.update(facts)
        app.quit()

    QTimer.singleShot(50, check)
    QTimer.singleShot(60_000, app.quit)  # never hang a test run
    status = main(argv)
    print(json.dumps({"status": status, **seen}))
    return 0


if __name__ == "__main__":
    separator = sys.argv.index("--")
    sys.exit(drive(sys.argv[1], sys.argv[2], sys.argv[separator + 1:]))
