"""What the console knows about the provisioning services that serve its store, refreshed every few seconds.

Two facts, both read in the worker pool: the services that beat in the store
(:func:`zmconsole.core.service_heartbeat.running`, wherever they run: ``zmconsole serve`` on a server, or a
console), and whether anything answers at the address QR codes send devices to (the ``provisioning-url``
setting), tried with a TCP connection. A running service and a QR code pointing elsewhere is the mistake that
strands a monitor at the bedside, so the strip says so.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, Signal

from zmconsole.core import service_heartbeat
from zmconsole.core.errors import ZmError
from zmconsole.core.service_heartbeat import Heartbeat
from zmconsole.core.store import Store
from zmconsole.gui.session import Session

WATCH_MS = 5000
PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Sighting:
    services: tuple[Heartbeat, ...]  # beating lately, newest first
    qr_url: str  # where QR codes send devices
    qr_answers: bool  # something accepts connections there


def answers(url: str, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """Whether a TCP connection to the URL's host and port succeeds (a TLS service listens there)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port or 443


def look(store: Store, qr_url: str) -> Sighting:
    """Both facts at once (blocking: call it from a worker).

    A service that says it answers at the QR code's address is taken at its word: knocking on its door every
    few seconds would fill its log with connections that never speak.
    """
    try:
        services = tuple(service_heartbeat.running(store))
    except ZmError:  # a busy store: no news this time
        services = ()
    announced = any(_origin(s.provisioning_url) == _origin(qr_url) for s in services)
    return Sighting(services, qr_url, announced or answers(qr_url))


class ServiceWatch(QObject):
    """``seen`` fires with each new :class:`Sighting`; it looks only while :meth:`start`-ed (the strip is shown)."""

    seen = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sighting: Sighting | None = None
        self._looking = False
        self._again = False  # asked to look while a look was under way (the settings changed, say)
        self.timer = QTimer(self)
        self.timer.setInterval(WATCH_MS)
        self.timer.timeout.connect(self.refresh)
        session.settings_changed.connect(self.refresh)

    def start(self) -> None:
        self.timer.start()
        self.refresh()

    def stop(self) -> None:
        self.timer.stop()

    def refresh(self) -> None:
        """Look again now (one look at a time)."""
        if self._looking:
            self._again = True
            return
        self._looking, self._again = True, False
        store, url = self.session.store, self.session.settings.provisioning_url
        self.session.tasks.start(lambda _job: look(store, url), done=self._seen, failed=self._failed, owner=self)

    def _seen(self, sighting: Sighting) -> None:
        self._looking = False
        self.sighting = sighting
        self.seen.emit()
        if self._again:
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._looking = False
        self.session.errors.show(None, error)
        if self._again:
            self.refresh()
