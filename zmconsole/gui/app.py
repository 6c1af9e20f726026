"""Starting the desktop console: ``zmconsole`` with no command, ``zmconsole gui``, or ``zmconsole --demo``.

:func:`run` owns the process-wide things (the QApplication, the translator,
the exception hook, the user's QSettings); :func:`open_console` builds a
window on a store and is what tests and the screenshot script use.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from zmconsole.core import ca, demo, paths
from zmconsole.core.errors import InputError, ZmError
from zmconsole.core.store import Store
from zmconsole.gui import collector
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.errors import ErrorReporter
from zmconsole.gui.i18n import arg, install_translator
from zmconsole.gui.icons import icon
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.prompts import FileChooser
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState

ORGANIZATION = "zmconsole"
APPLICATION = "zmconsole"
DESKTOP_FILE = "example.zmonitor.zmconsole"  # packaging/<this>.desktop: the shell matches windows to it
QUIT_AFTER_ENV = "ZMCONSOLE_QUIT_AFTER"  # seconds; for smoke tests of a built console (packaging/bundle.py)


@dataclass
class Console:
    """A running console: the window, its session, and the demo folder to remove at the end (if any)."""

    window: MainWindow
    session: Session
    demo_dir: Path | None = None

    def close(self) -> None:
        self.window.close()
        self.session.close()
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)


def open_console(home: Path, *, view_state: ViewState, demo_fill: bool = False, files: FileChooser | None = None,
                 demo_devices: int = demo.DEFAULT_DEVICES) -> Console:
    """Open the store in ``home`` and show the main window on it; with ``demo_fill``, fill it first (in a worker).

    Raises :class:`ZmError` when the store cannot be opened.
    """
    store = Store.open(paths.ensure_home(home))
    session = Session(store, home=home, demo=demo_fill, files=files)
    window = MainWindow(session, view_state)
    window.show()
    window.start()
    if demo_fill:
        _fill_demo(window, session, demo_devices)
    return Console(window, session)


def _fill_demo(window: MainWindow, session: Session, devices: int) -> None:
    progress = QProgressDialog(window.tr("Filling the demo store with a CA and a few hundred monitors…"),
                               window.tr("Cancel"), 0, 1, window)
    progress.setObjectName("demoProgress")
    progress.setWindowTitle(window.tr("Demo"))
    progress.setMinimumDuration(0)
    store, now = session.store, session.now()
    task = session.tasks.start(
        lambda job: demo.fill(store, devices=devices, now=now, progress=job.progress, cancelled=job.cancelled),
        done=lambda unlocked: _demo_ready(session, progress, unlocked), owner=window,
        progress=lambda done, total, _text: _progressed(progress, done, total))
    progress.canceled.connect(task.cancel)
    progress.open()


def _progressed(progress: QProgressDialog, done: int, total: int) -> None:
    progress.setMaximum(total)
    progress.setValue(done)


def _demo_ready(session: Session, progress: QProgressDialog, unlocked: ca.UnlockedCa | None) -> None:
    progress.close()
    if unlocked is not None:
        session.set_unlocked(unlocked)  # the demo's passphrase is public: start unlocked
    session.reload()  # the filler saved settings and a CA behind the session's back


def _read_passphrase(path: str) -> str:
    return Path(path).read_text(encoding="utf-8").rstrip("\r\n")


def unlock_from_file(window: MainWindow, session: Session, passphrase_file: str) -> None:
    """``--passphrase-file``: unlock at start; a wrong or unreadable file is reported like any error."""
    if session.ca_info is None:
        return
    try:
        secret = _read_passphrase(passphrase_file)
    except OSError as error:
        session.errors.show(window, InputError(arg(QCoreApplication.translate(
            "Console", "Cannot read the passphrase file %1 (%2): check the path."), passphrase_file,
            error.strerror or "")))
        return
    dialog = UnlockDialog(session, window)
    dialog.passphrase.setText(secret)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    dialog.unlock_button.click()  # a wrong passphrase leaves the dialog open with the message


def configure(app: QApplication) -> None:
    """Names, desktop entry, icon and translation: what the desktop and QSettings know the console by."""
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName(DESKTOP_FILE)
    install_translator(app)
    app.setApplicationDisplayName(QCoreApplication.translate("Console", "Z Monitor Console"))
    app.setWindowIcon(icon("app"))
    collector.install(app)


def _quit_after(app: QApplication) -> None:
    """With ``ZMCONSOLE_QUIT_AFTER=N``, close the console after N seconds: a built bundle's smoke test opens
    ``--demo`` offscreen and needs it to end by itself."""
    seconds = os.environ.get(QUIT_AFTER_ENV, "")
    if not seconds:
        return
    try:
        delay = float(seconds)
    except ValueError:
        raise InputError(f"{QUIT_AFTER_ENV} must be a number of seconds, not {seconds!r}.") from None
    QTimer.singleShot(int(delay * 1000), app.closeAllWindows)
    QTimer.singleShot(int(delay * 1000) + 500, app.quit)


def run(home: str | None, demo: bool, passphrase_file: str | None) -> int:
    """Open the desktop console and run until it is closed; the process exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure(app)
    demo_dir = Path(tempfile.mkdtemp(prefix="zmconsole-demo-")) if demo else None
    target = demo_dir or paths.resolve_home(home)
    reporter = ErrorReporter(target)
    reporter.install_excepthook()
    view_state = ViewState(QSettings(ORGANIZATION, APPLICATION))
    try:
        console = open_console(target, view_state=view_state, demo_fill=demo)
    except ZmError as error:
        QMessageBox.critical(None, reporter.title(error), reporter.message(error))
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
        return error.exit_code
    console.demo_dir = demo_dir
    if passphrase_file and not demo and not console.session.signed_out:  # with operators, an admin unlocks
        unlock_from_file(console.window, console.session, passphrase_file)
    _quit_after(app)  # counted from here: the demo store is filled by now
    try:
        return int(app.exec())
    finally:
        console.close()
