"""One console session: the open store, its settings, the CA (locked or unlocked), the signed-in operator,
and the idle lock.

The unlocked CA lives only here, in memory, for as long as the operator keeps
working: the console locks itself after ``idle_lock_minutes`` without a key
press, click or scroll, because it may stand unattended at a nurses' station.
Widgets never hold the unlocked CA; they ask for it (:mod:`.dialogs.unlock`)
at the moment they sign something. Changes to the store are announced with
:attr:`Session.data_changed`, so every view refreshes at once.

Once the store has operators (``roles.has_operators``), the console acts as the operator signed in with
:meth:`Session.signed_in` (after ``operators.sign_in``), and the idle lock signs them out: the CA is locked
with them, :attr:`Session.signing_out` first lets views take secrets off the screen while the operator may
still cancel what they started, then :attr:`Session.operator_changed` brings the sign-in screen back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from zmconsole.core import ca, operators, roles, settings, utc
from zmconsole.core.errors import NotPermittedError, ZmError
from zmconsole.core.operators import Operator
from zmconsole.core.settings import Settings
from zmconsole.core.store import Store
from zmconsole.gui.errors import ErrorReporter
from zmconsole.gui.prompts import FileChooser
from zmconsole.gui.workers import TaskRunner

Clock = Callable[[], datetime]


class IdleLock(QObject):
    """Calls ``on_idle`` after ``interval_ms`` without user input anywhere in the application.

    An application-wide event filter restarts a single-shot timer on every key press, mouse click, mouse move,
    wheel turn or touch; it is cheap (one set lookup per event) and sees input to every window and dialog.
    """

    _INPUT = frozenset({
        QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
        QEvent.Type.ShortcutOverride,
    })

    def __init__(self, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(on_idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval(self, msecs: int) -> None:
        self._timer.setInterval(msecs)
        if self._timer.isActive():
            self._timer.start()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def arm(self) -> None:
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._timer.isActive() and event.type() in self._INPUT:
            self._timer.start()
        return False

    def detach(self) -> None:
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class Session(QObject):
    """The store and the CA as the console sees them; the signals are what views listen to."""

    lock_changed = Signal(bool)  # True: locked
    data_changed = Signal()  # devices, certificates, CRLs or the audit log changed
    settings_changed = Signal()
    ca_changed = Signal()  # a CA was created or imported
    signing_out = Signal()  # the operator is about to leave (still signed in while this is delivered)
    operator_changed = Signal()  # an operator signed in or out

    def __init__(self, store: Store, *, home: Path, demo: bool = False, clock: Clock = utc.now,
                 idle_ms: int | None = None, files: FileChooser | None = None,
                 reporter: ErrorReporter | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.home = home
        self.demo = demo
        self.clock = clock
        self.files = files or FileChooser()
        self.errors = reporter or ErrorReporter(home, self)
        self.errors.token_gone.connect(self.lock)  # the next signing asks for the PIN of the reconnected token
        self.tasks = TaskRunner(self._report, parent=self)
        self._settings = settings.load(store)
        self._ca_info = ca.current(store)
        self._has_operators = roles.has_operators(store)
        self._unlocked: ca.UnlockedCa | None = None
        self._idle_ms = idle_ms
        self.idle = IdleLock(self._idle, self)
        self._apply_idle_interval()

    # --- state -------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock()

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def ca_info(self) -> ca.CaInfo | None:
        return self._ca_info

    @property
    def unlocked(self) -> ca.UnlockedCa | None:
        return self._unlocked

    @property
    def locked(self) -> bool:
        return self._unlocked is None

    @property
    def has_operators(self) -> bool:
        """Whether everyone signs in on this store (read at open and at each :meth:`reload`)."""
        return self._has_operators

    @property
    def operator(self) -> Operator | None:
        return self.store.operator

    @property
    def signed_out(self) -> bool:
        """The store has operators and nobody is signed in: only the sign-in screen may be used."""
        return self._has_operators and self.store.operator is None

    def _report(self, parent: object, error: BaseException) -> None:
        # Work that was running when the operator left comes back refused: the sign-in screen says it all.
        if isinstance(error, NotPermittedError) and self.signed_out:
            return
        self.errors.show(parent, error)  # type: ignore[arg-type]

    # --- operators ---------------------------------------------------------------------------------------

    def signed_in(self, operator: Operator) -> None:
        """``operators.sign_in`` (or ``create_first_admin``) succeeded on this store: act as ``operator``."""
        assert self.store.operator is operator
        self._has_operators = True
        self.idle.arm()
        self.operator_changed.emit()

    def sign_out(self) -> None:
        """Sign the operator out (Sign out, or the idle lock): the CA is locked and the sign-in screen shows."""
        if self.store.operator is None:
            return
        self.signing_out.emit()
        self.lock()
        try:
            operators.sign_out(self.store, record=True, now=self.now())
        except ZmError:  # a read-only or busy store: the operator leaves all the same
            operators.sign_out(self.store)
        self.idle.disarm()
        self.operator_changed.emit()

    def _idle(self) -> None:
        if self.store.operator is not None:
            self.sign_out()
        else:
            self.lock()

    # --- the CA ------------------------------------------------------------------------------------------

    def set_unlocked(self, unlocked: ca.UnlockedCa) -> None:
        """Keep the CA open for this session (after a passphrase, or after creating it)."""
        created = self._ca_info is None or self._ca_info.fingerprint != unlocked.info.fingerprint
        self._ca_info = unlocked.info
        self._unlocked = unlocked
        self.idle.arm()
        if created:
            self.ca_changed.emit()
        self.lock_changed.emit(False)

    def lock(self) -> None:
        """Forget the unlocked CA; the next signing operation asks for the passphrase again."""
        if self.store.operator is None:  # a signed-in operator is still signed out after the idle time
            self.idle.disarm()
        if self._unlocked is None:
            return
        self._unlocked = None
        self.lock_changed.emit(True)

    def set_idle_timeout(self, msecs: int | None) -> None:
        """Override the idle time (tests, kiosks); None returns to the ``idle_lock_minutes`` setting."""
        self._idle_ms = msecs
        self._apply_idle_interval()

    def _apply_idle_interval(self) -> None:
        self.idle.set_interval(self._idle_ms if self._idle_ms is not None
                               else self._settings.idle_lock_minutes * 60_000)

    # --- settings and refresh ----------------------------------------------------------------------------

    def save_settings(self, updated: Settings) -> None:
        self._settings = settings.save(self.store, updated)
        self._apply_idle_interval()
        self.settings_changed.emit()
        self.data_changed.emit()  # statuses depend on the thresholds

    def reload(self) -> None:
        """Re-read what another process (the CLI, the provisioning service) may have changed."""
        before, self._settings = self._settings, settings.load(self.store)
        had_operators, self._has_operators = self._has_operators, roles.has_operators(self.store)
        info = ca.current(self.store)
        if (info and info.fingerprint) != (self._ca_info and self._ca_info.fingerprint):
            self._ca_info = info
            self._unlocked = None
            self.ca_changed.emit()
        self._apply_idle_interval()
        if self._settings != before:
            self.settings_changed.emit()
        if self._has_operators != had_operators:
            self.operator_changed.emit()  # someone added the first operator elsewhere: sign in from now on
        if not self.signed_out:
            self.data_changed.emit()

    def close(self) -> None:
        """Stop the idle lock, cancel and wait for running work, close the store."""
        self.idle.detach()
        self.tasks.shut_down()  # from now on it starts nothing and delivers nothing
        # Delete the idle lock now rather than whenever the garbage collector gets to this session: a QObject
        # freed by the collector in the middle of event delivery can crash.
        shiboken6.delete(self.idle)
        self._unlocked = None
        self.store.dispose()
