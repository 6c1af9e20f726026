"""The "Pair a device" page: the front door for bedside staff (docs/pairing-protocol.md sections 1-2).

Scan or type the device ID (a barcode scanner types it and presses Enter, which starts the pairing), choose
who makes the key, press Pair. The console prepares the pairing (:func:`zmconsole.core.pairing.prepare`, in a
worker, with the CA unlocked) and shows a large QR code, the 8-digit code beside it, a countdown to expiry,
the provisioning URL and the CA fingerprint's short form (for comparing with the monitor, section 11), then
follows the pairing in the store once a second, since the provisioning service (another thread or process)
is what changes it: waiting, paired, or failed with what to do.

The QR text and the code exist only in the :class:`~zmconsole.core.pairing.Ticket` this page holds while the
pairing is pending; they leave the screen and memory when it ends (paired, failed, cancelled, expired, or the
console locking itself: a code must not stay on an unattended screen). Nothing here logs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core import exports, inventory, policy, qrcodes
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import NotFoundError, ZmError
from zmconsole.core.pairing import protocol as pairing_protocol
from zmconsole.core.pairing import tickets as pairing
from zmconsole.core.pairing.protocol import KeyMode
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import status_icon
from zmconsole.gui.pairing_words import describe
from zmconsole.gui.qr_widget import QrCodeWidget
from zmconsole.gui.service_control import ServiceControl, ServicePanel
from zmconsole.gui.session import Clock, Session
from zmconsole.gui.widgets import Banner, Kind, accessible, big_button
from zmconsole.service.runner import ServiceConfig

POLL_MS = 1000  # the countdown and the store are read once a second
TARGET_HEIGHT = 48  # buttons on this page: large targets at a bedside cart (44 px at least)
VALID_STATUSES = ("active", "expiring-90", "expiring-30", "expiring-7", "not-yet-valid")


@dataclass(frozen=True)
class PairingRequest:
    """What the operator asked for; kept for "New code"."""

    device_id: str
    console_key: bool
    ward: str


def short_fingerprint(hex_digits: str) -> str:
    """The first 16 hex digits in groups of four (``4E22 5B17 A8CC 8511``), as the device shows them."""
    digits = hex_digits.replace(":", "")[:16].upper()
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def countdown_text(seconds: int) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour up); never negative."""
    seconds = max(0, seconds)
    minutes, secs = divmod(seconds, 60)
    if minutes >= 60:
        return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False, monospace: bool = False) -> QFont:
    font = QFont(widget.font())
    if monospace:
        font.setFamilies(["DejaVu Sans Mono", "Liberation Mono", "Menlo", "Consolas", "monospace"])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        font.setFixedPitch(True)
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def large_button(text: str, icon_name: str | None, name: str, parent: QWidget) -> QPushButton:
    button = big_button(text, icon_name, name=name, parent=parent)
    button.setMinimumHeight(TARGET_HEIGHT)
    return button


class PairingPage(QWidget):
    """Request form (stack page 0) and the pairing in progress (page 1), with the service strip below."""

    def __init__(self, session: Session, parent: QWidget | None = None, *, clock: Clock | None = None,
                 service_config: ServiceConfig | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pairingPage")
        self.session = session
        self.clock: Clock = clock or session.now  # tests pin it to move the countdown
        self.ticket: pairing.Ticket | None = None  # the only holder of the QR text and the code
        self.request: PairingRequest | None = None
        self.status: pairing.PairingStatus | None = None
        self._pairing_id: int | None = None
        self._expires_at: datetime | None = None
        self._locked_out = False  # the pending pairing was cancelled because the console locked itself
        self._ended = True  # no pairing is being followed
        self._busy = False
        self.service = ServiceControl(session, service_config, self)

        self.pages = QStackedWidget(self)
        self.form_page = self._form_page()
        self.ticket_page = self._ticket_page()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.ticket_page)
        self.service_panel = ServicePanel(self.service, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.service_panel)

        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.tick)
        session.lock_changed.connect(self._lock_changed)
        session.settings_changed.connect(self._check_id)
        self._check_id()

    # --- building ---------------------------------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        page = QWidget(self)
        heading = QLabel(self.tr("Pair a device"), page)
        heading.setFont(scaled_font(heading, 1.8, bold=True))
        intro = QLabel(self.tr("Scan the barcode on the monitor, or type its device ID, then press Enter. The "
                               "console shows a QR code and a pairing code for the monitor."), page)
        intro.setWordWrap(True)
        self.device_id = QLineEdit(page)
        self.device_id.setObjectName("pairDeviceId")
        self.device_id.setPlaceholderText(self.tr("Device ID, e.g. ZM-001"))
        self.device_id.setFont(scaled_font(self.device_id, 1.6))
        self.device_id.setMinimumHeight(TARGET_HEIGHT + 4)
        self.device_id.setClearButtonEnabled(True)
        accessible(self.device_id, self.tr("Device ID to pair"),
                   self.tr("Scan the monitor's barcode or type its ID; Enter starts the pairing"))
        self.device_id.textChanged.connect(self._check_id)
        self.device_id.returnPressed.connect(self.pair)
        self.id_check = QLabel(page)
        self.id_check.setObjectName("pairIdCheck")
        self.id_check.setWordWrap(True)

        keys = QGroupBox(self.tr("Who makes the device's private key"), page)
        self.device_key = QRadioButton(self.tr("The &monitor makes its own key (recommended: the key never "
                                               "leaves the device)"), keys)
        self.console_key = QRadioButton(self.tr("The &console makes the key and sends it encrypted (for monitors "
                                                "that cannot make keys)"), keys)
        self.device_key.setChecked(True)
        for button in (self.device_key, self.console_key):
            button.setMinimumHeight(36)
        self._key_group = QButtonGroup(self)
        self._key_group.addButton(self.device_key)
        self._key_group.addButton(self.console_key)
        box = QVBoxLayout(keys)
        box.addWidget(self.device_key)
        box.addWidget(self.console_key)

        self.ward = QLineEdit(page)
        self.ward.setObjectName("pairWard")
        self.ward.setPlaceholderText(self.tr("optional"))
        self.ward.setMinimumHeight(36)
        accessible(self.ward, self.tr("Ward (optional)"))
        self.ward.returnPressed.connect(self.pair)
        form = QFormLayout()
        form.addRow(self.tr("&Device ID:"), self.device_id)
        form.addRow("", self.id_check)
        form.addRow(self.tr("&Ward:"), self.ward)

        self.pair_button = large_button(self.tr("&Pair"), "pair", "pairButton", page)
        self.pair_button.setFont(scaled_font(self.pair_button, 1.4, bold=True))
        self.pair_button.setMinimumHeight(60)
        self.pair_button.clicked.connect(self.pair)
        self.form_message = Banner(page)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(form)
        column.addWidget(keys)
        column.addWidget(self.pair_button)
        column.addWidget(self.form_message)
        column.addStretch(1)
        outer = QHBoxLayout(page)
        holder = QWidget(page)
        holder.setMaximumWidth(760)
        holder.setLayout(column)
        outer.addWidget(holder, 1)
        outer.addStretch(0)
        return page

    def _ticket_page(self) -> QWidget:
        page = QWidget(self)
        self.qr = QrCodeWidget(page)
        self.qr.setObjectName("pairingQr")
        self.qr.setAccessibleName(self.tr("Pairing QR code"))

        self.device_label = QLabel(page)
        self.device_label.setObjectName("pairingDevice")
        self.device_label.setFont(scaled_font(self.device_label, 2.0, bold=True))
        self.device_label.setWordWrap(True)
        code_caption = QLabel(self.tr("Pairing code — type it on the monitor:"), page)
        code_caption.setWordWrap(True)
        self.code_label = QLabel(page)
        self.code_label.setObjectName("pairingCode")
        self.code_label.setFont(scaled_font(self.code_label, 4.0, bold=True, monospace=True))
        self.countdown = QLabel(page)
        self.countdown.setObjectName("pairingCountdown")
        self.countdown.setFont(scaled_font(self.countdown, 1.6))
        self.status_icon = QLabel(page)
        self.status_icon.setFixedSize(40, 40)
        self.status_label = QLabel(page)
        self.status_label.setObjectName("pairingStatus")
        self.status_label.setFont(scaled_font(self.status_label, 1.5, bold=True))
        self.status_label.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status_label, 1)
        self.hint = QLabel(page)
        self.hint.setObjectName("pairingHint")
        self.hint.setWordWrap(True)

        self.key_mode_label = QLabel(page)
        self.url_label = QLabel(page)
        self.url_label.setObjectName("pairingUrl")
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label = QLabel(page)
        self.fingerprint_label.setObjectName("pairingFingerprint")
        self.fingerprint_label.setFont(scaled_font(self.fingerprint_label, 1.1, monospace=True))
        details = QFormLayout()
        details.addRow(self.tr("Key:"), self.key_mode_label)
        details.addRow(self.tr("Provisioning URL:"), self.url_label)
        details.addRow(self.tr("CA fingerprint:"), self.fingerprint_label)
        self.fingerprint_label.setToolTip(self.tr("The start of the platform CA's SHA-256 fingerprint: the monitor "
                                                  "shows the same digits when it trusts this CA."))

        self.cancel_button = large_button(self.tr("&Cancel pairing"), "revoke", "cancelPairing", page)
        self.new_code_button = large_button(self.tr("&New code"), "refresh", "newCode", page)
        self.save_qr_button = large_button(self.tr("&Save QR code…"), "export", "saveQr", page)
        self.print_button = large_button(self.tr("P&rint label (PDF)…"), "export", "printLabel", page)
        self.print_code = QCheckBox(self.tr("Print the code &on the label (whoever holds the label can pair)"),
                                    page)
        self.print_code.setObjectName("printCode")
        self.print_code.setMinimumHeight(36)
        self.done_button = large_button(self.tr("&Done"), "verify", "pairingDone", page)
        self.cancel_button.clicked.connect(self.cancel)
        self.new_code_button.clicked.connect(self.new_code)
        self.save_qr_button.clicked.connect(self.save_qr)
        self.print_button.clicked.connect(self.print_label)
        self.done_button.clicked.connect(self.done)
        buttons = QGridLayout()
        buttons.addWidget(self.cancel_button, 0, 0)
        buttons.addWidget(self.new_code_button, 0, 1)
        buttons.addWidget(self.save_qr_button, 1, 0)
        buttons.addWidget(self.print_button, 1, 1)
        buttons.addWidget(self.print_code, 2, 0, 1, 2)
        buttons.addWidget(self.done_button, 3, 0, 1, 2)
        self.message = Banner(page)

        side = QVBoxLayout()
        side.addWidget(self.device_label)
        side.addWidget(code_caption)
        side.addWidget(self.code_label)
        side.addWidget(self.countdown)
        side.addSpacing(8)
        side.addLayout(status_row)
        side.addWidget(self.hint)
        side.addSpacing(8)
        side.addLayout(details)
        side.addStretch(1)
        side.addLayout(buttons)
        side.addWidget(self.message)
        holder = QWidget(page)
        holder.setLayout(side)
        scroll = QScrollArea(page)  # on a small screen the column scrolls rather than squeezing the QR code
        scroll.setWidget(holder)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(400)
        scroll.setMaximumWidth(500)
        layout = QHBoxLayout(page)
        layout.addWidget(self.qr, 1)
        layout.addWidget(scroll)
        return page

    # --- the request ------------------------------------------------------------------------------------------

    def focus_entry(self) -> None:
        """Put the cursor where a barcode scanner types (when no pairing is on screen)."""
        if self.pages.currentWidget() is self.form_page:
            self.device_id.setFocus()
            self.device_id.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_entry()

    def _say(self, text: str) -> None:
        self.id_check.setText(text)
        self.id_check.setAccessibleName(text)

    def _check_id(self) -> bool:
        """Check the device ID as it is typed: the site policy, what a QR can carry, an existing certificate."""
        text = self.device_id.text().strip()
        if not text:
            self._say(self.tr("Scan or type the device ID."))
            return False
        try:
            policy.check_device_id(text, self.session.settings)
            pairing_protocol.check_device_id(text)
        except ZmError as error:
            self._say("✗ " + self.session.errors.message(error))
            return False
        try:
            try:
                summary: inventory.DeviceRow | None = inventory.device(self.session.store, self.session.settings,
                                                                       text, now=self.clock())[0]
            except NotFoundError:
                summary = None
            pending = pairing.status(self.session.store, text, now=self.clock())
        except ZmError as error:
            self._say("✗ " + self.session.errors.message(error))
            return False
        if summary is not None and summary.status in VALID_STATUSES:
            self._say(arg(self.tr("✗ %1 already has a valid certificate (serial %2): revoke it before pairing the "
                                  "device again."), text, summary.serial))
            return False
        if pending is not None and pending.outcome == "pending":
            self._say(arg(self.tr("✓ Ready. A pairing is already waiting for this device (until %1 UTC); pairing "
                                  "again replaces it."), f"{pending.expires_at:%H:%M}"))
        else:
            self._say(self.tr("✓ Ready to pair: press Enter or Pair."))
        return True

    def pair(self) -> None:
        """Pair the device typed in the form (Enter in the device ID field, or the Pair button)."""
        if self._busy:
            return
        if not self._check_id():
            self.device_id.setFocus()
            return
        if self.session.ca_info is None:
            self.form_message.show_message(Kind.ERROR, self.tr("There is no platform CA yet: set one up first (CA "
                                                               "menu, Set up the CA…)."))
            return
        self.form_message.clear()
        self._prepare(PairingRequest(self.device_id.text().strip(), self.console_key.isChecked(),
                                     self.ward.text().strip()))

    def new_code(self) -> None:
        """A fresh token and code for the same device (the earlier one, if still pending, ends)."""
        if self.request is not None and not self._busy:
            self._prepare(self.request)

    def _prepare(self, wanted: PairingRequest) -> None:
        store = self.session.store

        def work(unlocked: UnlockedCa, now: datetime) -> pairing.Ticket:
            return pairing.prepare(store, unlocked, wanted.device_id, console_key=wanted.console_key,
                                   ward=wanted.ward or None, now=now)

        def failed(error: BaseException) -> None:
            self._working(False)
            self.session.errors.show(self, error)

        def start(unlocked: UnlockedCa) -> None:  # after the passphrase, which may take the operator a while
            self._working(True)
            now = self.clock()
            self.session.tasks.start(lambda _job: work(unlocked, now), done=lambda t: self._show_ticket(wanted, t),
                                     failed=failed, owner=self)

        request_ca(self, self.session, start, reason=self.tr(
            "Pairing signs the QR code with a key the CA certifies, and may issue the certificate."))

    def _working(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.pair_button, self.new_code_button):
            button.setEnabled(not busy)
        if busy:
            self.form_message.show_message(Kind.INFO, self.tr("Preparing the pairing…"))
        else:
            self.form_message.clear()

    # --- the pairing in progress ----------------------------------------------------------------------------

    def _show_ticket(self, wanted: PairingRequest, ticket: pairing.Ticket) -> None:
        self._working(False)
        self.request, self.ticket, self.status = wanted, ticket, None
        self._pairing_id, self._expires_at, self._locked_out = ticket.pairing_id, ticket.expires_at, False
        self._ended = False
        self.qr.set_text(ticket.qr_text)
        self.qr.setAccessibleName(arg(self.tr("Pairing QR code for %1"), ticket.device_id))
        self.code_label.setText(ticket.display_code)
        self.code_label.setAccessibleName(arg(self.tr("Pairing code %1"), ticket.display_code))
        ward = f" · {ticket.ward}" if ticket.ward else ""
        self.device_label.setText(ticket.device_id + ward)
        self.key_mode_label.setText(self.tr("made by the monitor") if ticket.key_mode is KeyMode.DEVICE_KEY
                                    else arg(self.tr("made by the console (certificate %1)"), ticket.serial))
        self.url_label.setText(ticket.provisioning_url)
        self.fingerprint_label.setText(short_fingerprint(ticket.ca_fingerprint))
        self.message.clear()
        self.print_code.setChecked(False)
        self._set_pending_controls(True)
        self.pages.setCurrentWidget(self.ticket_page)
        self.cancel_button.setFocus()
        if ticket.serial is not None:
            self.session.data_changed.emit()  # console key mode: the certificate exists already
        self.timer.start()
        self.tick()
        if self.session.locked:  # the console locked itself while the pairing was being prepared
            self._lock_changed(True)

    def _set_pending_controls(self, pending: bool) -> None:
        for widget in (self.cancel_button, self.save_qr_button, self.print_button, self.print_code):
            widget.setEnabled(pending)
        self.done_button.setEnabled(not pending)
        paired = self.status is not None and self.status.outcome == "paired"
        self.new_code_button.setEnabled(not paired and not self._busy)

    def tick(self) -> None:
        """Once a second: the countdown, and the pairing's state as the service left it in the store."""
        if self._pairing_id is None or self._expires_at is None:
            self.timer.stop()
            return
        now = self.clock()
        if self.ticket is not None:
            left = int((self._expires_at - now).total_seconds())
            self.countdown.setText(arg(self.tr("Expires in %1"), countdown_text(left)))
            self.countdown.setAccessibleName(self.countdown.text())
        try:
            status = pairing.status_of(self.session.store, self._pairing_id, now=now)
        except ZmError as error:  # a busy or vanished store: say so and keep trying
            self.hint.setText(self.session.errors.message(error))
            return
        self._show_status(status)

    def _show_status(self, status: pairing.PairingStatus | None) -> None:
        self.status = status
        if status is None or status.outcome != "pending":
            self._finish()
        glyph, text, hint = describe(status, locked_out=self._locked_out)
        self.status_icon.setPixmap(status_icon(glyph).pixmap(36, 36))
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)

    def _forget_secrets(self) -> None:
        """Take the QR code and the pairing code off the screen and out of memory."""
        self.ticket = None
        self.qr.clear()
        self.code_label.setText("—")
        self.code_label.setAccessibleName(self.tr("No pairing code"))
        self.countdown.setText(self.tr("Ended"))
        self.countdown.setAccessibleName(self.countdown.text())
        for widget in (self.cancel_button, self.save_qr_button, self.print_button, self.print_code):
            widget.setEnabled(False)

    def _finish(self) -> None:
        """The pairing ended: stop following it and forget the token and the code."""
        if self._ended:
            return
        self._ended = True
        self.timer.stop()
        self._forget_secrets()
        self._set_pending_controls(False)
        self.done_button.setFocus()
        self.session.data_changed.emit()  # the device's row and the audit log changed

    def cancel(self) -> None:
        """End the pending pairing now (the token dies; a console-made certificate is revoked)."""
        if self.request is None or self.ticket is None:
            return
        device_id, now = self.request.device_id, self.clock()
        self.cancel_button.setEnabled(False)
        self.session.tasks.start(lambda _job: pairing.cancel(self.session.store, device_id, now=now),
                                 done=lambda _ended: self.tick(), owner=self)

    def done(self) -> None:
        """Back to the form for the next device."""
        self._finish()
        self._pairing_id = self._expires_at = None
        self.request = self.status = None
        self.device_id.clear()
        self.ward.clear()
        self.console_key.setChecked(False)
        self.device_key.setChecked(True)
        self.pages.setCurrentWidget(self.form_page)
        self.focus_entry()

    def _lock_changed(self, locked: bool) -> None:
        if locked and self.ticket is not None and self.request is not None:
            self._locked_out = True
            try:
                pairing.cancel(self.session.store, self.request.device_id, now=self.clock())
            except ZmError as error:
                self.session.errors.show(self, error)
            self.tick()
            # Still pending: the device is being issued its certificate right now (or the store could not be
            # written). Keep following it, without the code on screen.
            self._forget_secrets()

    # --- files ----------------------------------------------------------------------------------------------

    def save_qr(self) -> None:
        """The QR code as PNG or SVG (by the chosen file's extension); private, since it holds the token."""
        ticket = self.ticket
        if ticket is None:
            return
        path = self.session.files.save_file(self, self.tr("Save the QR code"), f"pairing-{ticket.device_id}.png",
                                            self.tr("PNG image (*.png);;SVG image (*.svg)"))
        if path is None:
            return
        data = (qrcodes.render_svg(ticket.qr_text).encode() if path.suffix.lower() == ".svg"
                else qrcodes.render_png(ticket.qr_text, scale=10))
        self._write(path, data, self.tr("QR code saved to %1. It holds a one-time token: delete the file once the "
                                        "monitor is paired."))

    def print_label(self) -> None:
        """A 62 × 80 mm label as PDF; the code only if the operator ticked the box."""
        ticket = self.ticket
        if ticket is None:
            return
        path = self.session.files.save_file(self, self.tr("Save the label to print"),
                                            f"pairing-label-{ticket.device_id}.pdf", self.tr("PDF (*.pdf)"))
        if path is None:
            return
        try:
            data = qrcodes.render_label_pdf(ticket.qr_text, device_id=ticket.device_id, ward=ticket.ward,
                                            expires_at=ticket.expires_at.astimezone(),
                                            pairing_code=ticket.pairing_code if self.print_code.isChecked() else None)
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        self._write(path, data, self.tr("Label saved to %1: print it at 100 % on a 62 × 80 mm label."))

    def _write(self, path: Path, data: bytes, template: str) -> None:
        try:
            exports.write_file(path, data, private=True, force=True)  # the dialog asked
        except ZmError as error:
            self.session.errors.show(self, error)
            return
        self.message.show_message(Kind.OK, arg(template, path))

    # --- closing --------------------------------------------------------------------------------------------

    def shut_down(self) -> None:
        """The window is closing: stop the timer and the service, and forget any code on screen."""
        self.timer.stop()
        self._forget_secrets()
        self.service.shut_down()
