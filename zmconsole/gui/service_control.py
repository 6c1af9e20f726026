"""The provisioning service as the console sees it: the one it may run itself, and the ones that serve its store.

:class:`ServiceControl` (owned by the main window) runs :class:`~zmconsole.service.runner.ProvisioningService`
on its own thread with the session's store and the unlocked CA, on the address QR codes name (the
``provisioning-url`` setting), unless told otherwise. It starts one only when no service beats in the store:
a ``zmconsole serve`` already serving the store is shown and used, not competed with. Starting and stopping
(which waits for requests in progress) run in the worker pool, so the window never freezes. Like
``zmconsole serve``, a running service keeps its copy of the CA key until it is stopped, also while the console
itself is locked: devices must be able to finish a pairing while nobody touches the console. Closing the window
stops it (:meth:`ServiceControl.shut_down`).

:class:`ServicePanel` is the strip that shows it: which service serves the store and where, whether the QR
codes' address answers, and one button. A start that fails is said in the strip, in words for this window.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from zmconsole.core import service_heartbeat
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ConflictError
from zmconsole.core.service_heartbeat import Heartbeat
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import status_icon
from zmconsole.gui.service_watch import ServiceWatch
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import big_button
from zmconsole.service.addresses import DEFAULT_HTTP_LISTEN
from zmconsole.service.runner import Listening, ProvisioningService, ServiceConfig

START_TIMEOUT_S = 60.0
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class ServiceState(Enum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"


def _address(url: str) -> tuple[str, int]:
    """Where to listen so that ``url`` reaches us: its port, on loopback only if the URL names loopback."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return ("127.0.0.1" if host in _LOOPBACK else "0.0.0.0", port)  # noqa: S104


def config_for(provisioning_url: str, crl_url: str) -> ServiceConfig:
    """The addresses the settings (and so the QR codes and certificates) send devices to."""
    https = _address(provisioning_url)
    return ServiceConfig(listen=https, http_listen=_address(crl_url) if crl_url else (https[0],
                                                                                      DEFAULT_HTTP_LISTEN[1]))


class ServiceControl(QObject):
    """One provisioning service the console may run; ``changed`` fires on every state change."""

    changed = Signal()

    def __init__(self, session: Session, config: ServiceConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.config = config  # None: where the provisioning-url and crl-url settings point
        self.state = ServiceState.STOPPED
        self.failure: str | None = None  # why the last start failed, in this window's words
        self._service: ProvisioningService | None = None
        self._mine: set[str] = set()  # heartbeat instances of the services this console ran
        self.watch = ServiceWatch(session, self)
        self.watch.seen.connect(self.changed)

    @property
    def listening(self) -> Listening | None:
        return self._service.listening if self._service is not None and self.state is ServiceState.RUNNING else None

    @property
    def effective_config(self) -> ServiceConfig:
        settings = self.session.settings
        return self.config or config_for(settings.provisioning_url, settings.crl_url)

    def others(self) -> list[Heartbeat]:
        """Services serving this store other than ours, as last seen."""
        sighting = self.watch.sighting
        return [s for s in (sighting.services if sighting else ()) if s.instance not in self._mine]

    def _set(self, state: ServiceState) -> None:
        self.state = state
        self.changed.emit()

    def start(self, parent: QWidget) -> None:
        """Ask for the CA passphrase if needed, then start both listeners (unless another service serves)."""
        if self.state is not ServiceState.STOPPED or self.others():
            return
        request_ca(parent, self.session, self._launch, reason=self.tr(
            "The provisioning service signs device certificates with the CA key."))

    def _launch(self, unlocked: UnlockedCa) -> None:
        if self.state is not ServiceState.STOPPED:
            return
        store, config = self.session.store, self.effective_config
        service = ProvisioningService(store, unlocked, config)
        self._service = service
        self._mine.add(service.heartbeat.instance)
        self.failure = None
        self._set(ServiceState.STARTING)

        def work() -> Listening:
            serving = service_heartbeat.running(store)  # fresh: the strip's view may be seconds old
            if serving:
                raise ConflictError(arg(self.tr(
                    "A provisioning service already serves this store (on %1, process %2, at %3): the console "
                    "uses it and does not start another."), serving[0].host, serving[0].pid,
                    serving[0].provisioning_url))
            return service.start(timeout=START_TIMEOUT_S)

        def failed(error: BaseException) -> None:
            self._service = None
            self.failure = self.session.errors.message(error)  # a port in use: the LISTEN_ADDRESS hint
            self._set(ServiceState.STOPPED)
            self.watch.refresh()

        def started(_listening: Listening) -> None:
            self._set(ServiceState.RUNNING)
            self.watch.refresh()
            self.session.data_changed.emit()  # its TLS certificate may have just been issued

        self.session.tasks.start(lambda _job: work(), done=started, failed=failed)

    def stop(self) -> None:
        """Stop accepting, let requests in progress finish, then report stopped."""
        service = self._service
        if service is None or self.state is not ServiceState.RUNNING:
            return
        self._set(ServiceState.STOPPING)

        def stopped(_result: object = None) -> None:
            self._service = None
            self._set(ServiceState.STOPPED)
            self.watch.refresh()

        self.session.tasks.start(lambda _job: service.stop(), done=stopped, failed=lambda _error: stopped())

    def shut_down(self) -> None:
        """Stop now, waiting for it (the window is closing and the store is about to close)."""
        self.watch.stop()
        if self.state is ServiceState.STARTING:
            self.session.tasks.wait(int((START_TIMEOUT_S + 5) * 1000))  # a half-started service stops cleanly
        if self._service is not None:
            self._service.stop()
            self._service = None
        self.state = ServiceState.STOPPED


class ServicePanel(QFrame):
    """Which service serves the store and where, whether QR codes reach it, and the button that changes it."""

    def __init__(self, control: ServiceControl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control = control
        self.setObjectName("servicePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.glyph = QLabel(self)
        self.state = QLabel(self)
        self.state.setObjectName("serviceState")
        self.state.setWordWrap(True)
        self.button = big_button(self.tr("&Start the provisioning service"), "publish", name="serviceButton",
                                 parent=self)
        self.button.setMinimumHeight(44)
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.addWidget(self.glyph)
        layout.addWidget(self.state, 1)
        layout.addWidget(self.button)
        control.changed.connect(self.update_state)
        control.session.settings_changed.connect(self.update_state)
        self.update_state()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.control.watch.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.control.watch.stop()

    def _clicked(self) -> None:
        if self.control.state is ServiceState.RUNNING:
            self.control.stop()
        else:
            self.control.start(self)

    def _words(self) -> tuple[str, str, bool]:
        """(what the strip says, the button's text, whether a service serves the store)."""
        control, state = self.control, self.control.state
        listening, others = control.listening, control.others()
        if listening is not None:
            return (arg(self.tr("<b>Provisioning service: running in this console</b> — pairing at %1, CRL at %2. "
                                "It runs until you stop it or close the console, also while the console is "
                                "locked."), listening.provisioning_url, listening.crl_url),
                    self.tr("&Stop the provisioning service"), True)
        if state is ServiceState.STARTING:
            return self.tr("<b>Provisioning service: starting…</b>"), self.tr("Starting…"), False
        if state is ServiceState.STOPPING:
            return (self.tr("<b>Provisioning service: stopping…</b> (finishing requests in progress)"),
                    self.tr("Stopping…"), False)
        if others:
            now = control.session.now()
            seen = others[0]
            return (arg(self.tr("<b>Provisioning service: running</b> on %1 (process %2, last seen %3 s ago) — "
                                "pairing at %4. This console uses it."), seen.host, seen.pid,
                        seen.seconds_ago(now), seen.provisioning_url),
                    self.tr("&Start the provisioning service"), True)
        https, http = (f"{host}:{port}" for host, port in (control.effective_config.listen,
                                                           control.effective_config.http_listen))
        text = arg(self.tr("<b>Provisioning service: stopped</b> — devices cannot fetch certificates. Start it to "
                           "serve pairing on %1 and the CRL on %2 (or run zmconsole serve on a server)."),
                   https, http)
        if control.failure:
            text = arg(self.tr("<b>Provisioning service: could not start</b> — %1"), control.failure)
        return text, self.tr("&Start the provisioning service"), False

    def update_state(self) -> None:
        control = self.control
        text, button, serving = self._words()
        sighting = control.watch.sighting
        wanted = control.session.settings.provisioning_url
        if sighting is not None and sighting.qr_url == wanted and not sighting.qr_answers:
            text += "<br>" + arg(self.tr("⚠ QR codes point to %1 (Settings, provisioning URL), where no "
                                         "provisioning service answers: devices cannot pair until one does."),
                                 wanted)
        self.glyph.setPixmap(status_icon("active" if serving else "none").pixmap(28, 28))
        self.state.setText(text)
        self.state.setAccessibleName(self.state.text().replace("<b>", "").replace("</b>", "").replace("<br>", " "))
        self.button.setText(button)
        self.button.setAccessibleName(button.replace("&", "").rstrip("…"))
        runs_elsewhere = bool(control.others()) and control.state is ServiceState.STOPPED
        self.button.setVisible(not runs_elsewhere)
        self.button.setEnabled(control.state in (ServiceState.STOPPED, ServiceState.RUNNING))
