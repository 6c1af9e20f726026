"""The "Pair a device" page driven like a person at a bedside cart: scan (type) the device ID, Enter, read the QR
off the screen with a real barcode reader (zxing-cpp), type the code on the "device", and watch the status.

The device's side is computed from what the screen shows (the QR as decoded from the painted widget, the code
as displayed) with the core's protocol functions, or run as the real ``zmdevice`` against the provisioning
service the page started. The page's clock is pinned where the countdown is checked; nothing sleeps.
"""

from __future__ import annotations

import base64
import re
import socket
import stat
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from tests.conftest import build_csr
from tests.gui.conftest import FakeFiles, make_window, press, settle, unlock_with
from tests.gui.test_accessibility import Shouting, assert_translated, check_keyboard_and_names
from tests.support import zmdevice
from zmconsole.core import inventory, schema, settings
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.pairing import protocol, tickets
from zmconsole.core.pairing.answers import PairingRefused, PairingRequest, enroll
from zmconsole.core.pairing.protocol import ProofPurpose
from zmconsole.core.pairing.state import PairingState
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.qr_widget import QrCodeWidget
from zmconsole.gui.service_control import ServiceState
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState
from zmconsole.gui.views.pairing import PairingPage, countdown_text, short_fingerprint
from zmconsole.service.runner import ServiceConfig

ONLY_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
FREE_PORTS = ServiceConfig(listen=("127.0.0.1", 0), http_listen=("127.0.0.1", 0))


class PinnedClock:
    def __init__(self) -> None:
        self.moment = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> PinnedClock:
    return PinnedClock()


@pytest.fixture
def page(window: MainWindow, clock: PinnedClock) -> PairingPage:
    window.pairing.clock = clock
    return window.pairing


@pytest.fixture
def open_ca(session: Session, unlocked: UnlockedCa) -> UnlockedCa:
    session.set_unlocked(unlocked)
    return unlocked


def start_pairing(qtbot: QtBot, page: PairingPage, device_id: str) -> tickets.Ticket:
    """Type the ID the way a barcode scanner does (characters, then Enter) and wait for the QR."""
    page.window().show_page("pairing")  # type: ignore[attr-defined]
    page.form.device_id.clear()
    qtbot.keyClicks(page.form.device_id, device_id)  # type: ignore[no-untyped-call]
    qtbot.keyClick(page.form.device_id, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
    qtbot.waitUntil(lambda: page.ticket is not None and page.ticket.device_id == device_id, timeout=20_000)
    assert page.ticket is not None
    return page.ticket


def read_qr(widget: QrCodeWidget) -> str:
    """What a camera pointed at the screen reads: the painted widget, decoded by zxing-cpp."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = Image.frombuffer("L", (image.width(), image.height()), bytes(image.constBits()), "raw", "L",
                              image.bytesPerLine(), 1)
    found = zxingcpp.read_barcodes(pixels, formats=ONLY_QR)  # as a QR scanner looks: a reader of every
    assert len(found) == 1, found  # format now and then "finds" a short ITF code among the modules
    return found[0].text


class Device:
    """The monitor's side, from the QR text it scanned and the code the person typed."""

    def __init__(self, qr_text: str, typed_code: str) -> None:
        self.payload = protocol.decode_payload(qr_text)
        self.keys = protocol.derive_code_keys(self.payload.token, self.payload.device_id, typed_code)

    def enrollment(self) -> PairingRequest:
        csr = build_csr(self.payload.device_id, country=None, org=None, ou=None, der=True)
        proof = protocol.make_code_proof(self.keys.auth_key, purpose=ProofPurpose.ENROLL,
                                         token=self.payload.token, device_id=self.payload.device_id, body=csr)
        return PairingRequest(self.payload.device_id, self.payload.token.hex(), proof.hex(),
                              base64.b64encode(csr), "192.0.2.7")


def shown_code(page: PairingPage) -> str:
    text = page.ticket_view.code_label.text()
    assert re.fullmatch(r"\d{4} \d{4}", text), text
    return text


def wrong(code: str) -> str:
    digits = code.replace(" ", "")
    return f"{(int(digits) + 1) % 10**8:08d}"


# --- the flow ---------------------------------------------------------------------------------------------------


def test_scan_pair_show_a_readable_qr_and_see_the_device_pair(qtbot: QtBot, window: MainWindow, page: PairingPage,
                                                              session: Session, store: Store, open_ca: UnlockedCa,
                                                              clock: PinnedClock) -> None:
    press(qtbot, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Pair a device…
    assert window.current_page == "pairing" and QApplication.focusWidget() is page.form.device_id
    assert page.form.device_key.isChecked()  # the device makes its key unless asked otherwise
    ticket = start_pairing(qtbot, page, "ZM-201")
    assert page.pages.currentWidget() is page.ticket_view

    # What the screen shows: a QR that a reader decodes to the ticket, large; the code beside it, large.
    assert read_qr(page.ticket_view.qr) == ticket.qr_text
    assert page.ticket_view.qr.code_rect().height() >= 0.6 * page.height()  # fills most of the page
    module = page.ticket_view.qr.module_size()
    assert module == int(module)  # whole pixels per module: crisp edges
    assert shown_code(page) == ticket.display_code
    font = QFontInfo(page.ticket_view.code_label.font())
    assert font.fixedPitch() and font.pixelSize() >= 40
    assert page.ticket_view.device_label.text() == "ZM-201"
    assert page.ticket_view.url_label.full_text == ticket.provisioning_url == session.settings.provisioning_url
    assert page.ticket_view.fingerprint_label.text() == short_fingerprint(ticket.ca_fingerprint)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", page.ticket_view.fingerprint_label.text())

    # The countdown follows the (pinned) clock, once a second.
    assert page.ticket_view.countdown.text() == "Expires in 30:00" and page.follower.timer.isActive()
    clock.moment += timedelta(seconds=61)
    qtbot.waitUntil(lambda: page.ticket_view.countdown.text() == "Expires in 28:59", timeout=20_000)
    assert page.ticket_view.status_label.text() == "Waiting for the device…"
    assert not page.ticket_view.status_icon.pixmap().isNull()  # status by icon and words, not colour alone

    # The device scans the QR, the person types the code: the service (here the core it runs) issues.
    issued = enroll(store, open_ca, Device(read_qr(page.ticket_view.qr), shown_code(page)).enrollment())
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text().startswith("Paired ✓"), timeout=20_000)
    assert page.ticket_view.serial_label.text().replace(" ", "") == f"Serial{issued.serial}"  # whole, on its own line
    assert page.ticket is None and not page.ticket_view.qr.showing and page.ticket_view.code_label.text() == ""  # gone
    assert not page.ticket_view.code_label.isVisible() and not page.ticket_view.countdown.isVisible()  # no "Ended —"
    assert page.ticket_view.qr.isVisible() and "Paired" in page.ticket_view.qr.placeholder  # the QR area stays
    assert not page.ticket_view.cancel_button.isEnabled() and not page.ticket_view.new_code_button.isEnabled()
    assert not page.ticket_view.save_qr_button.isEnabled() and page.ticket_view.done_button.isEnabled()
    settle(qtbot, session)
    qtbot.waitUntil(lambda: window.devices.model.total == 1, timeout=20_000)  # the table shows it, no restart
    summary, _ = inventory.device(store, session.settings, "ZM-201")
    assert summary.serial == issued.serial and summary.status == "active"
    details = window.show_details("ZM-201")
    assert details.pairing_state.text().startswith("Paired with a QR code on ")
    details.close()

    page.ticket_view.done_button.click()
    assert page.pages.currentWidget() is page.form and page.form.device_id.text() == ""
    assert QApplication.focusWidget() is page.form.device_id  # ready for the next scan


def test_a_wrong_code_shows_the_attempts_left_and_five_burn_the_code(qtbot: QtBot, page: PairingPage,
                                                                     store: Store, open_ca: UnlockedCa) -> None:
    first = start_pairing(qtbot, page, "ZM-202")
    guesser = Device(read_qr(page.ticket_view.qr), wrong(shown_code(page)))
    with pytest.raises(PairingRefused):
        enroll(store, open_ca, guesser.enrollment())
    qtbot.waitUntil(lambda: "wrong pairing code" in page.ticket_view.status_label.text(), timeout=20_000)
    assert "Attempts left before this code stops working: 4." in page.ticket_view.hint.text()
    assert page.ticket is not None and page.ticket_view.qr.showing  # still pending: the right code still works
    for _ in range(4):
        with pytest.raises(PairingRefused):
            enroll(store, open_ca, guesser.enrollment())
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text() == "Failed: the code was typed wrong 5 times",
                    timeout=20_000)
    assert "Press New code" in page.ticket_view.hint.text()
    assert page.ticket is None and not page.ticket_view.qr.showing and page.ticket_view.code_label.text() == ""

    page.ticket_view.new_code_button.click()
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    assert page.ticket is not None and page.ticket.pairing_id != first.pairing_id
    assert page.ticket_view.status_label.text() == "Waiting for the device…"
    assert read_qr(page.ticket_view.qr) == page.ticket.qr_text != first.qr_text


def test_cancel_then_a_new_code_that_expires(qtbot: QtBot, page: PairingPage, session: Session, store: Store,
                                             open_ca: UnlockedCa, clock: PinnedClock) -> None:
    page.form.console_key.setChecked(True)  # the console makes the key: a certificate exists at once
    ticket = start_pairing(qtbot, page, "ZM-203")
    assert ticket.serial and ticket.serial in page.ticket_view.key_mode_label.text()
    page.ticket_view.cancel_button.click()
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text() == "Cancelled", timeout=20_000)
    assert page.ticket is None and not page.ticket_view.qr.showing
    state = tickets.status_of(store, ticket.pairing_id)
    assert state is not None and state.state == PairingState.CANCELLED
    summary, _ = inventory.device(store, session.settings, "ZM-203")
    assert summary.status == "revoked"  # nobody can ever receive that key

    page.ticket_view.new_code_button.click()
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    clock.moment += timedelta(seconds=session.settings.pairing_ttl_seconds)
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text() == "Failed: the pairing code expired", timeout=20_000)
    assert "Press New code and scan again" in page.ticket_view.hint.text() and page.ticket is None


def test_the_form_refuses_before_anything_is_signed(qtbot: QtBot, page: PairingPage, devices: list[str],
                                                    session: Session) -> None:
    settle(qtbot, session)
    form = page.form
    for typed, expected in [("bed 7", "✗"), ("ZM-001", "already has a valid certificate"), ("", "Scan or type")]:
        form.device_id.setText(typed)
        form.pair_button.click()  # before the answer has come: it pairs only if the answer is yes
        qtbot.waitUntil(lambda: form.answer is not None, timeout=20_000)  # the answer for this text
        assert expected in form.id_check.text()
        settle(qtbot, session)
        assert page.pages.currentWidget() is form
        assert not any(isinstance(w, UnlockDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    form.device_id.setText("zm-900")  # as a scanner or a hurried person types it
    qtbot.waitUntil(lambda: form.id_check.text().startswith("✓"), timeout=20_000)
    assert form.id_check.text() == "✓ Ready to pair ZM-900: press Enter or Pair."
    form.device_id.setText("bed 7")
    qtbot.waitUntil(lambda: form.id_check.text().startswith("✗"), timeout=20_000)
    assert "ZM-[0-9]+" not in form.id_check.text() and "device-id-pattern" not in form.id_check.text()
    assert "Settings (Device ID pattern)" in form.id_check.text()  # the label clinical staff see, not a CLI key


def test_pairing_asks_for_the_passphrase_and_locking_clears_the_code(qtbot: QtBot, page: PairingPage,
                                                                     session: Session, store: Store) -> None:
    assert session.locked
    page.window().show_page("pairing")  # type: ignore[attr-defined]
    page.form.device_id.setText("ZM-204")
    page.form.pair_button.click()
    unlock_with(qtbot)
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    pairing_id = page.ticket.pairing_id if page.ticket else 0
    session.lock()  # the idle lock: no code may stay on an unattended screen
    view = page.ticket_view
    assert page.ticket is None and not view.qr.showing and view.code_label.text() == ""  # at once
    assert not view.countdown.isVisible() and "locked itself" in view.qr.placeholder  # no countdown left running
    qtbot.waitUntil(lambda: view.status_label.text() == "Cancelled: the console locked itself", timeout=20_000)
    assert "unattended screen" in view.hint.text() and view.done_button.isEnabled()
    state = tickets.status_of(store, pairing_id)
    assert state is not None and state.state == PairingState.CANCELLED


def test_locking_while_the_device_is_being_issued_keeps_following_it(qtbot: QtBot, page: PairingPage,
                                                                      session: Session, store: Store,
                                                                      open_ca: UnlockedCa) -> None:
    ticket = start_pairing(qtbot, page, "ZM-208")
    with store.write() as conn:  # the service has accepted the device's proof and is signing (section 7.2)
        conn.execute(update(schema.pairings).where(schema.pairings.c.id == ticket.pairing_id)
                     .values(state=PairingState.ISSUING, claimed_at=int(datetime.now(UTC).timestamp())))
    qtbot.waitUntil(lambda: "issuing its certificate" in page.ticket_view.status_label.text(), timeout=20_000)
    session.lock()
    assert page.ticket is None and not page.ticket_view.qr.showing and page.ticket_view.code_label.text() == ""
    qtbot.waitUntil(lambda: "issuing its certificate" in page.ticket_view.status_label.text(), timeout=20_000)
    assert page.follower.timer.isActive()  # the cancel was refused: the page still follows the pairing
    with store.write() as conn:  # the service gave up on the claim (its process stopped)
        conn.execute(update(schema.pairings).where(schema.pairings.c.id == ticket.pairing_id)
                     .values(state=PairingState.EXPIRED, finished_at=int(datetime.now(UTC).timestamp())))
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text() == "Failed: the pairing code expired", timeout=20_000)
    assert not page.follower.timer.isActive() and page.ticket_view.done_button.isEnabled()


def test_save_the_qr_and_print_a_label(qtbot: QtBot, page: PairingPage, files: FakeFiles, open_ca: UnlockedCa,
                                       tmp_path: Path) -> None:
    ticket = start_pairing(qtbot, page, "ZM-205")
    png, svg, plain, with_code = (tmp_path / n for n in ("qr.png", "qr.svg", "label.pdf", "label-code.pdf"))
    files.save_paths = [png, svg, plain, with_code]
    page.ticket_view.save_qr_button.click()
    page.ticket_view.save_qr_button.click()
    page.ticket_view.print_button.click()
    page.ticket_view.print_code.setChecked(True)
    page.ticket_view.print_button.click()
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png), formats=ONLY_QR)] == [ticket.qr_text]
    assert svg.read_text().startswith("<?xml") and "<svg" in svg.read_text()
    for path in (png, svg, plain, with_code):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the QR holds the one-time token
    assert plain.read_bytes().startswith(b"%PDF") and with_code.read_bytes().startswith(b"%PDF")
    assert plain.read_bytes() != with_code.read_bytes()  # the code is printed only when ticked
    assert "Label saved to" in page.ticket_view.message.text


# --- the provisioning service -----------------------------------------------------------------------------------


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def test_start_the_service_pair_a_real_device_over_https_and_stop_it(qtbot: QtBot, page: PairingPage,
                                                                     session: Session, store: Store,
                                                                     open_ca: UnlockedCa, files: FakeFiles,
                                                                     tmp_path: Path) -> None:
    page.service.config = FREE_PORTS
    panel = page.service_panel
    assert "stopped" in panel.state.text()
    panel.button.click()
    qtbot.waitUntil(lambda: page.service.state is ServiceState.RUNNING, timeout=30_000)
    listening = page.service.listening
    assert listening is not None and listening.https_port and listening.http_port
    assert "running in this console" in panel.state.text() and listening.provisioning_url in panel.state.text()
    qtbot.waitUntil(lambda: "QR codes point to" in panel.state.text(), timeout=20_000)  # the setting names 8443
    with urllib.request.urlopen(listening.crl_url, timeout=10) as answer:  # the plain-HTTP listener answers
        assert answer.status == 200

    settings.set_value(store, "provisioning-url", listening.provisioning_url)
    session.reload()
    qtbot.waitUntil(lambda: "QR codes point to" not in panel.state.text(), timeout=20_000)
    ticket = start_pairing(qtbot, page, "ZM-206")
    files.save_paths = [tmp_path / "zm-206.png"]
    page.ticket_view.save_qr_button.click()
    done = zmdevice.ok("enroll", "--qr", tmp_path / "zm-206.png", "--keystore",
                       tmp_path / "keystore", "--device-id", "ZM-206", code=shown_code(page))
    assert "Paired ZM-206" in done.stdout
    qtbot.waitUntil(lambda: page.ticket_view.status_label.text().startswith("Paired ✓"), timeout=20_000)
    state = tickets.status_of(store, ticket.pairing_id)
    assert state is not None and state.serial and state.serial in page.ticket_view.serial_label.text().replace(" ", "")

    panel.button.click()
    qtbot.waitUntil(lambda: page.service.state is ServiceState.STOPPED, timeout=30_000)
    assert "stopped" in panel.state.text() and page.service.listening is None
    assert not answers(listening.https_port) and not answers(listening.http_port)


def test_closing_the_window_stops_the_service(qtbot: QtBot, session: Session, view_state: ViewState,
                                              open_ca: UnlockedCa) -> None:
    window = make_window(qtbot, session, view_state)
    window.pairing.service.config = FREE_PORTS
    window.pairing.service_panel.button.click()
    qtbot.waitUntil(lambda: window.pairing.service.state is ServiceState.RUNNING, timeout=30_000)
    listening = window.pairing.service.listening
    assert listening is not None and answers(listening.https_port)
    window.close()
    assert window.pairing.service.state is ServiceState.STOPPED
    assert not answers(listening.https_port) and not answers(listening.http_port)


def test_a_port_in_use_is_explained(qtbot: QtBot, page: PairingPage, session: Session, open_ca: UnlockedCa) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        page.service.config = ServiceConfig(listen=("127.0.0.1", port), http_listen=("127.0.0.1", 0))
        page.service_panel.button.click()
        qtbot.waitUntil(lambda: "could not start" in page.service_panel.state.text(), timeout=30_000)
    text = page.service_panel.state.text()
    assert f"Cannot listen on 127.0.0.1:{port}" in text and "stop it and press Start again" in text
    assert "--listen" not in text  # no command-line advice in a window
    assert session.errors.last is None  # said in the strip, not in a "Please check the input" dialog
    assert page.service.state is ServiceState.STOPPED and page.service_panel.button.isEnabled()


# --- what every screen must do ----------------------------------------------------------------------------------


@pytest.fixture
def shouting(qapp: QApplication) -> Iterator[None]:
    """Every translated string in upper case, so an untranslated one stands out (see test_accessibility)."""
    translator = Shouting()
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


def test_large_targets_keyboard_names_and_translation(qtbot: QtBot, shouting: None, session: Session,
                                                      view_state: ViewState, open_ca: UnlockedCa) -> None:
    window = make_window(qtbot, session, view_state)
    window.show_page("pairing")
    page = window.pairing
    check_keyboard_and_names(window)
    assert_translated(window)
    page.form.device_id.setText("ZM-207")
    page.form.pair_button.click()
    qtbot.waitUntil(lambda: page.ticket is not None, timeout=20_000)
    check_keyboard_and_names(window)
    assert_translated(window)
    for button in page.findChildren(QPushButton):
        if button.isVisibleTo(page):
            assert button.minimumHeight() >= 44, button.objectName()
    page.ticket_view.cancel_button.click()
    qtbot.waitUntil(lambda: page.ticket is None, timeout=20_000)
    assert_translated(window)
    window.close()


def test_the_qr_stays_readable_at_any_size(qtbot: QtBot) -> None:
    text = "ZMP1:" + "A" * 200
    widget = QrCodeWidget()
    qtbot.addWidget(widget)
    widget.set_text(text)
    for side in (150, 333, 640):
        widget.resize(side, side + 40)
        assert read_qr(widget) == text
        rect = widget.code_rect()
        assert rect.width() == rect.height() <= side and rect.width() >= side - widget.modules
    widget.clear()
    assert not widget.showing and widget.minimumSizeHint().width() > 0


@pytest.mark.parametrize(("seconds", "text"), [(1800, "30:00"), (61, "01:01"), (0, "00:00"), (-5, "00:00"),
                                                (3 * 3600 + 5, "3:00:05")])
def test_countdown_text(seconds: int, text: str) -> None:
    assert countdown_text(seconds) == text


@pytest.fixture(autouse=True)
def _no_http_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    yield
