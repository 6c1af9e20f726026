"""Following one pairing: its state as the provisioning service leaves it in the store, read once a second.

The read runs in the worker pool (a busy store never freezes the window); one read at a time, and an answer for
a pairing no longer followed is dropped. ``ticked`` fires every second as well, for the countdown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import tickets
from zmconsole.gui.session import Clock, Session

POLL_MS = 1000


class PairingFollower(QObject):
    ticked = Signal()
    changed = Signal(object)  # tickets.PairingStatus | None (None: the pairing no longer exists)
    trouble = Signal(str)  # the store could not be read this time; it is tried again

    def __init__(self, session: Session, clock: Callable[[], Clock], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._clock = clock  # the page's clock, read at each tick (tests pin it)
        self.pairing_id: int | None = None
        self._reading = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    @property
    def following(self) -> bool:
        return self.pairing_id is not None

    def follow(self, pairing_id: int) -> None:
        self.pairing_id = pairing_id
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self.pairing_id = None
        self.timer.stop()

    def poll(self) -> None:
        """Tick, and read the pairing's state unless a read is still under way."""
        pairing_id = self.pairing_id
        if pairing_id is None:
            self.timer.stop()
            return
        self.ticked.emit()
        if self._reading:
            return
        self._reading = True
        store, now = self.session.store, self._clock()()
        self.session.tasks.start(lambda _job: tickets.status_of(store, pairing_id, now=now),
                                 done=lambda status: self._read(pairing_id, status),
                                 failed=lambda error: self._failed(pairing_id, error), owner=self)

    def _read(self, pairing_id: int, status: tickets.PairingStatus | None) -> None:
        self._reading = False
        if pairing_id == self.pairing_id:
            self.changed.emit(status)

    def _failed(self, pairing_id: int, error: BaseException) -> None:
        self._reading = False
        if pairing_id != self.pairing_id:
            return
        if isinstance(error, ZmError):  # a busy or vanished store: say so and keep trying
            self.trouble.emit(self.session.errors.message(error))
        else:
            self.session.errors.show(None, error)
