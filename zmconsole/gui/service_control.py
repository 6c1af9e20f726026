"""Starting and stopping the provisioning service from the console (the in-process ``zmconsole serve``).

:class:`ServiceControl` runs :class:`~zmconsole.service.runner.ProvisioningService` on its own thread with the
session's store and the unlocked CA; starting and stopping (which waits for requests in progress) run in the
console's worker pool, so the window never freezes. Like ``zmconsole serve``, a running service keeps its copy
of the CA key until it is stopped, also while the console itself is locked: devices must be able to finish a
pairing while nobody touches the console. Closing the window stops it (:meth:`ServiceControl.shut_down`).

:class:`ServicePanel` is the strip that shows it: running or stopped (icon and words), its URLs, one button.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from zmconsole.core.ca import UnlockedCa
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import status_icon
from zmconsole.gui.session import Session
from zmconsole.gui.widgets import big_button
from zmconsole.service.runner import Listening, ProvisioningService, ServiceConfig

START_TIMEOUT_S = 60.0


class ServiceState(Enum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"


class ServiceControl(QObject):
    """One provisioning service the console may run; ``changed`` fires on every state change."""

    changed = Signal()

    def __init__(self, session: Session, config: ServiceConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.config = config or ServiceConfig()  # 127.0.0.1:8443 (HTTPS) and 127.0.0.1:8080 (CRL)
        self.state = ServiceState.STOPPED
        self._service: ProvisioningService | None = None

    @property
    def listening(self) -> Listening | None:
        return self._service.listening if self._service is not None and self.state is ServiceState.RUNNING else None

    def _set(self, state: ServiceState) -> None:
        self.state = state
        self.changed.emit()

    def start(self, parent: QWidget) -> None:
        """Ask for the CA passphrase if needed, then start both listeners (errors go to the error dialog)."""
        if self.state is not ServiceState.STOPPED:
            return
        request_ca(parent, self.session, lambda unlocked: self._launch(parent, unlocked), reason=self.tr(
            "The provisioning service signs device certificates with the CA key."))

    def _launch(self, parent: QWidget, unlocked: UnlockedCa) -> None:
        if self.state is not ServiceState.STOPPED:
            return
        service = ProvisioningService(self.session.store, unlocked, self.config)
        self._service = service
        self._set(ServiceState.STARTING)

        def failed(error: BaseException) -> None:
            self._service = None
            self._set(ServiceState.STOPPED)
            self.session.errors.show(parent, error)  # a port in use: the LISTEN_ADDRESS hint, in our words

        def started(_listening: Listening) -> None:
            self._set(ServiceState.RUNNING)
            self.session.data_changed.emit()  # its TLS certificate may have just been issued

        self.session.tasks.start(lambda _job: service.start(timeout=START_TIMEOUT_S), done=started, failed=failed)

    def stop(self) -> None:
        """Stop accepting, let requests in progress finish, then report stopped."""
        service = self._service
        if service is None or self.state is not ServiceState.RUNNING:
            return
        self._set(ServiceState.STOPPING)

        def stopped(_result: object = None) -> None:
            self._service = None
            self._set(ServiceState.STOPPED)

        self.session.tasks.start(lambda _job: service.stop(), done=stopped, failed=lambda _error: stopped())

    def shut_down(self) -> None:
        """Stop now, waiting for it (the window is closing and the store is about to close)."""
        if self.state is ServiceState.STARTING:
            self.session.tasks.wait(int((START_TIMEOUT_S + 5) * 1000))  # a half-started service stops cleanly
        if self._service is not None:
            self._service.stop()
            self._service = None
        self.state = ServiceState.STOPPED


class ServicePanel(QFrame):
    """Running or stopped, where, and the button that changes it."""

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

    def _clicked(self) -> None:
        if self.control.state is ServiceState.RUNNING:
            self.control.stop()
        else:
            self.control.start(self)

    def update_state(self) -> None:
        control, state = self.control, self.control.state
        listening = control.listening
        if listening is not None:
            text = arg(self.tr("<b>Provisioning service: running</b> — pairing at %1, CRL at %2. It runs until you "
                               "stop it or close the console, also while the console is locked."),
                       listening.provisioning_url, listening.crl_url)
            wanted = urlsplit(control.session.settings.provisioning_url)
            if (wanted.port or 443) != listening.https_port:
                text += "<br>" + arg(self.tr("⚠ QR codes point to %1 (Settings, provisioning URL): make sure that "
                                             "address reaches this service."), wanted.geturl())
            button = self.tr("&Stop the provisioning service")
        elif state is ServiceState.STARTING:
            text, button = self.tr("<b>Provisioning service: starting…</b>"), self.tr("Starting…")
        elif state is ServiceState.STOPPING:
            text, button = (self.tr("<b>Provisioning service: stopping…</b> (finishing requests in progress)"),
                            self.tr("Stopping…"))
        else:
            https, http = (f"{host}:{port}" for host, port in (control.config.listen, control.config.http_listen))
            text = arg(self.tr("<b>Provisioning service: stopped</b> — devices cannot fetch certificates from this "
                               "console. Start it to serve pairing on %1 and the CRL on %2 (or run "
                               "`zmconsole serve` on a server)."), https, http)
            button = self.tr("&Start the provisioning service")
        self.glyph.setPixmap(status_icon("active" if listening is not None else "none").pixmap(28, 28))
        self.state.setText(text)
        self.state.setAccessibleName(self.state.text().replace("<b>", "").replace("</b>", "").replace("<br>", " "))
        self.button.setText(button)
        self.button.setAccessibleName(button.replace("&", "").rstrip("…"))
        self.button.setEnabled(state in (ServiceState.STOPPED, ServiceState.RUNNING))
