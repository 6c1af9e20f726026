"""The provisioning service strip shows the service that really serves the store: a separately started
``zmconsole serve`` is reported as running (from its heartbeat in the store), the console does not start a
second one, and a QR address where nothing answers is called out."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from tests.support.service import RunningService, running_service
from zmconsole.core import settings
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.store import Store
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.service_control import ServiceState, config_for
from zmconsole.gui.session import Session


@pytest.fixture
def external(home: object, unlocked: UnlockedCa) -> Iterator[RunningService]:
    """``zmconsole serve`` in its own process, on the console's store."""
    with running_service(home, set_crl_url=False) as service:  # type: ignore[arg-type]
        yield service


def strip_text(window: MainWindow) -> str:
    return window.pairing.service_panel.state.text()


def test_an_external_service_is_shown_as_running_and_not_competed_with(
        qtbot: QtBot, window: MainWindow, session: Session, store: Store, external: RunningService) -> None:
    settings.set_value(store, "provisioning-url", external.provisioning_url)
    session.reload()
    window.show_page("pairing")
    qtbot.waitUntil(lambda: "running</b> on" in strip_text(window), timeout=20_000)
    text = strip_text(window)
    assert f"process {external.process.pid}" in text and external.provisioning_url in text
    assert "QR codes point to" not in text  # the QR's address answers
    panel = window.pairing.service_panel
    assert not panel.button.isVisible()  # nothing to start: one service already serves the store
    window.service.start(window)
    assert window.service.state is ServiceState.STOPPED


def test_a_qr_address_where_nothing_answers_is_called_out(qtbot: QtBot, window: MainWindow, session: Session,
                                                          store: Store, unlocked: UnlockedCa) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.set_value(store, "provisioning-url", f"https://127.0.0.1:{port}/")
    session.reload()
    window.show_page("pairing")
    qtbot.waitUntil(lambda: "QR codes point to" in strip_text(window), timeout=20_000)
    assert f"https://127.0.0.1:{port}/" in strip_text(window) and "stopped" in strip_text(window)
    assert f"127.0.0.1:{port}" in strip_text(window)  # its own service would listen where the QR points


@pytest.mark.parametrize(("url", "crl", "listen", "http"), [
    ("https://127.0.0.1:9443/", "", ("127.0.0.1", 9443), ("127.0.0.1", 8080)),
    ("https://localhost/", "http://localhost:8081/crl", ("127.0.0.1", 443), ("127.0.0.1", 8081)),
    ("https://provisioning.hospital.example:8443/", "http://provisioning.hospital.example/crl",
     ("0.0.0.0", 8443), ("0.0.0.0", 80)),  # noqa: S104
])
def test_the_console_listens_where_the_settings_send_devices(url: str, crl: str, listen: tuple[str, int],
                                                              http: tuple[str, int]) -> None:
    config = config_for(url, crl)
    assert (config.listen, config.http_listen) == (listen, http)
