"""The one place where the console turns exceptions into what a person sees.

A :class:`~zmconsole.core.errors.ZmError` is something the user can act on:
it is shown in a dialog with a title for its kind and the core's message, followed
by its :class:`~zmconsole.core.errors.Hint` in the console's words (a menu path or
a page, never a command-line flag: :meth:`ErrorReporter.hint_words`). Anything
else is a bug: the dialog says so, and the traceback goes to ``zmconsole-errors.log``
in the data directory (the same file the command line uses), never onto the screen.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from zmconsole import __version__
from zmconsole.core.errors import (
    ConflictError,
    Hint,
    HintKind,
    InputError,
    IntegrityError,
    NotFoundError,
    PolicyError,
    StoreError,
    TokenError,
    WrongPassphraseError,
    ZmError,
)
from zmconsole.gui.i18n import arg
from zmconsole.gui.widgets import Banner, Kind

LOG_FILE = "zmconsole-errors.log"
log = logging.getLogger(__name__)


class ErrorReporter(QObject):
    """Shows errors in dialogs and keeps bug reports; ``shown`` tells tests (and the status bar) what appeared."""

    shown = Signal(str, str)  # title, message
    token_gone = Signal()  # the CA key's PKCS#11 token stopped answering: the session locks

    def __init__(self, log_dir: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self.last: tuple[str, str] | None = None

    def title(self, error: BaseException) -> str:
        """A title naming the kind of problem; the core's message is the body."""
        titles: list[tuple[type[BaseException], str]] = [  # most specific first
            (WrongPassphraseError, self.tr("Wrong passphrase")),
            (TokenError, self.tr("The CA key's token stopped answering")),
            (PolicyError, self.tr("Refused by the site policy")),
            (NotFoundError, self.tr("Not found")),
            (ConflictError, self.tr("Not possible in the current state")),
            (InputError, self.tr("Please check the input")),
            (StoreError, self.tr("The data store cannot be used")),
            (IntegrityError, self.tr("Integrity check failed")),
            (ZmError, self.tr("Cannot do that")),
        ]
        return next((text for kind, text in titles if isinstance(error, kind)), self.tr("Internal error"))

    def hint_words(self, hint: Hint) -> str:
        """What to do, in the console's words: where to click."""
        match hint.kind:
            case HintKind.CREATE_CA:
                return self.tr("Create or import one with CA > Set up the CA….")
            case HintKind.CHOOSE_HOME:
                return self.tr("To use another data directory, quit the console and start it again with "
                               "ZMCONSOLE_HOME set to that directory.")
            case HintKind.FIND_DEVICE:
                return self.tr("Check the ID on the Devices page.")
            case HintKind.ISSUE_CERTIFICATE:
                return self.tr("Issue one with Devices > Issue certificate….")
            case HintKind.LISTEN_ADDRESS:
                return self.tr("Another program is probably using this port, often a `zmconsole serve` already "
                               "running: stop it and press Start again, or keep using that one.")
            case HintKind.REPLACE_FILE:
                return self.tr("To replace it, save again and confirm when asked.")
            case HintKind.DELIVER_HELD_KEY:
                return self.tr("Deliver it with Devices > Details… > Save PKCS#12 (certificate and key)….")
            case HintKind.EXPORT_CERTIFICATE:
                return self.tr("Deliver the certificate with Devices > Details… > Save certificate (PEM)….")
            case HintKind.SIGN_IN:
                return self.tr("Sign in as an operator whose role allows it.")

    def message(self, error: BaseException) -> str:
        """The text to show for ``error``: the core's words and its hint in ours, or a bug notice that says
        where the log is."""
        if isinstance(error, ZmError):
            return str(error) if error.hint is None else f"{error} {self.hint_words(error.hint)}"
        where = self.log_bug(error)
        return arg(self.tr("Something went wrong inside the console. This is a bug, not something you did "
                           "wrong. The details were written to %1; please send that file to your support team."),
                   where)

    def show(self, parent: QWidget | None, error: BaseException) -> None:
        """Open a (non-blocking, window-modal) dialog for ``error``."""
        title, text = self.title(error), self.message(error)
        self.last = (title, text)
        box = QMessageBox(QMessageBox.Icon.Warning if isinstance(error, ZmError) else QMessageBox.Icon.Critical,
                          title, text, QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("errorDialog")
        box.setAccessibleName(title)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.open()
        self.shown.emit(title, text)
        if isinstance(error, TokenError):
            self.token_gone.emit()

    def show_in(self, parent: QWidget, banner: Banner, error: BaseException) -> bool:
        """A refused secret (passphrase, PIN, password) said in ``banner`` beside its field; a bug still opens
        the dialog. True when it went to the banner (the caller then clears the field)."""
        if not isinstance(error, ZmError):
            self.show(parent, error)
            return False
        banner.show_message(Kind.ERROR, self.message(error))
        return True

    def log_bug(self, error: BaseException) -> str:
        """Append the traceback to the log in the data directory; return the path (or why it failed)."""
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        if self.log_dir is None:
            log.error("internal error\n%s", text)
            return self.tr("the program's error output")
        try:
            self.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self.log_dir / LOG_FILE
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {datetime.now(UTC).isoformat()} zmconsole {__version__} (console)\n{text}")
            return str(path)
        except OSError:
            log.error("internal error (the log could not be written)\n%s", text)
            return self.tr("the program's error output (the log file could not be written)")

    def install_excepthook(self) -> None:
        """Route exceptions that escape a slot to :meth:`show` instead of a raw traceback on stderr."""
        def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
            if issubclass(kind, KeyboardInterrupt):
                sys.__excepthook__(kind, error, tb)
                return
            error.__traceback__ = tb
            self.show(None, error)

        sys.excepthook = hook
