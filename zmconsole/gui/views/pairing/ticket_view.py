"""The pairing on screen: the QR code as large as the page allows, the code, the countdown, the live status.

The right column never widens: sentences wrap, the URL is cut in the middle with the whole of it in the tooltip,
and the buttons sit below the column's scrolling part, so Done is always in view, also on a 1024×700 screen.
When the pairing ends, the code and the countdown leave the screen, and the QR area keeps its place with a
sentence in it, so nothing on the page moves.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core.pairing import tickets
from zmconsole.core.pairing.protocol import KeyMode
from zmconsole.gui.i18n import arg
from zmconsole.gui.icons import status_icon
from zmconsole.gui.qr_widget import QrCodeWidget
from zmconsole.gui.views.pairing.common import ElidedLabel, countdown_text, large_button, scaled_font, short_fingerprint
from zmconsole.gui.widgets import Banner, Kind

COLUMN_WIDTH = (360, 460)  # the right column: room for the code and two buttons a row, never more
MIN_QR = 300


def grouped(serial: str) -> str:
    """A serial in groups of four (``6E4C E848 1246 …``): read off and compared by eye more surely, and it may
    wrap between groups on a narrow screen rather than be cut."""
    return " ".join(serial[i:i + 4] for i in range(0, len(serial), 4))


def breakable(text: str) -> str:
    """A path or URL that may wrap after each ``/`` (a zero-width space there), instead of widening its column."""
    return text.replace("/", "/\u200b")


class TicketView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.qr = QrCodeWidget(self)
        self.qr.setObjectName("pairingQr")
        self.qr.setAccessibleName(self.tr("Pairing QR code"))
        self.qr.setMinimumSize(MIN_QR, MIN_QR)

        info = QWidget(self)
        self.device_label = QLabel(info)
        self.device_label.setObjectName("pairingDevice")
        self.device_label.setFont(scaled_font(self.device_label, 2.0, bold=True))
        self.device_label.setWordWrap(True)
        self.code_caption = QLabel(self.tr("Pairing code — type it on the monitor:"), info)
        self.code_caption.setWordWrap(True)
        self.code_label = QLabel(info)
        self.code_label.setObjectName("pairingCode")
        self.code_label.setFont(scaled_font(self.code_label, 4.0, bold=True, monospace=True))
        self.countdown = QLabel(info)
        self.countdown.setObjectName("pairingCountdown")
        self.countdown.setFont(scaled_font(self.countdown, 1.6))
        self.countdown.setWordWrap(True)
        self.status_icon = QLabel(info)
        self.status_icon.setFixedSize(40, 40)
        self.status_label = QLabel(info)
        self.status_label.setObjectName("pairingStatus")
        self.status_label.setFont(scaled_font(self.status_label, 1.5, bold=True))
        self.status_label.setWordWrap(True)
        self.serial_label = QLabel(info)  # the whole serial, on a line of its own: it is read off and compared
        self.serial_label.setObjectName("pairingSerial")
        self.serial_label.setFont(scaled_font(self.serial_label, 1.0, monospace=True))
        self.serial_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.serial_label.setWordWrap(True)
        self.serial_label.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.status_label, 1)
        self.hint = QLabel(info)
        self.hint.setObjectName("pairingHint")
        self.hint.setWordWrap(True)

        self.key_mode_label = QLabel(info)
        self.key_mode_label.setWordWrap(True)
        self.url_label = ElidedLabel(info)
        self.url_label.setObjectName("pairingUrl")
        self.fingerprint_label = QLabel(info)
        self.fingerprint_label.setObjectName("pairingFingerprint")
        self.fingerprint_label.setFont(scaled_font(self.fingerprint_label, 1.1, monospace=True))
        self.fingerprint_label.setToolTip(self.tr("The start of the platform CA's SHA-256 fingerprint: the monitor "
                                                  "shows the same digits when it trusts this CA."))
        details = QFormLayout()
        details.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        details.addRow(self.tr("Key:"), self.key_mode_label)
        details.addRow(self.tr("Provisioning URL:"), self.url_label)
        details.addRow(self.tr("CA fingerprint:"), self.fingerprint_label)

        column = QVBoxLayout(info)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.device_label, self.code_caption, self.code_label, self.countdown):
            column.addWidget(widget)
        column.addSpacing(8)
        column.addLayout(status_row)
        column.addWidget(self.serial_label)
        column.addWidget(self.hint)
        self.message = Banner(info)  # "saved to …", or why a scan was not used: in the column, which scrolls
        column.addWidget(self.message)
        column.addSpacing(8)
        column.addLayout(details)
        column.addStretch(1)
        scroll = QScrollArea(self)  # on a small screen the column scrolls (up and down only)
        scroll.setWidget(info)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        self.cancel_button = large_button(self.tr("&Cancel pairing"), "revoke", "cancelPairing", self)
        self.new_code_button = large_button(self.tr("&New code"), "refresh", "newCode", self)
        self.save_qr_button = large_button(self.tr("&Save QR code…"), "export", "saveQr", self)
        self.print_button = large_button(self.tr("P&rint label…"), "export", "printLabel", self)
        self.print_button.setToolTip(self.tr("A 62 × 80 mm label with the QR code, as PDF"))
        self.print_code = QCheckBox(self.tr("Print the code &on the label"), self)
        self.print_code.setObjectName("printCode")
        self.print_code.setToolTip(self.tr("Whoever holds a label with the code can pair the monitor."))
        self.print_code.setMinimumHeight(36)
        self.done_button = large_button(self.tr("&Done"), "verify", "pairingDone", self)
        buttons = QGridLayout()
        buttons.addWidget(self.cancel_button, 0, 0)
        buttons.addWidget(self.new_code_button, 0, 1)
        buttons.addWidget(self.save_qr_button, 1, 0)
        buttons.addWidget(self.print_button, 1, 1)
        buttons.addWidget(self.print_code, 2, 0, 1, 2)
        buttons.addWidget(self.done_button, 0, 0)  # in Cancel's place once the pairing has ended

        side = QWidget(self)
        side.setMinimumWidth(COLUMN_WIDTH[0])
        side.setMaximumWidth(COLUMN_WIDTH[1])
        side.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(scroll, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.qr, 1)
        layout.addWidget(side)
        # Tab follows the eye: the column's buttons row by row (Done stands where Cancel was).
        order = [self.cancel_button, self.done_button, self.new_code_button, self.save_qr_button, self.print_button,
                 self.print_code]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    # --- what it shows --------------------------------------------------------------------------------------

    def show_ticket(self, ticket: tickets.Ticket) -> None:
        self.qr.set_text(ticket.qr_text)
        self.qr.setAccessibleName(arg(self.tr("Pairing QR code for %1"), ticket.device_id))
        self.code_label.setText(ticket.display_code)
        self.code_label.setAccessibleName(arg(self.tr("Pairing code %1"), ticket.display_code))
        ward = f" · {ticket.ward}" if ticket.ward else ""
        self.device_label.setText(ticket.device_id + ward)
        self.key_mode_label.setText(self.tr("made by the monitor") if ticket.key_mode is KeyMode.DEVICE_KEY
                                    else arg(self.tr("made by the console (certificate %1)"), ticket.serial))
        self.url_label.set_full_text(ticket.provisioning_url)
        self.fingerprint_label.setText(short_fingerprint(ticket.ca_fingerprint))
        self.serial_label.hide()
        self.message.clear()
        self.print_code.setChecked(False)
        for label in (self.code_caption, self.code_label, self.countdown):
            label.show()

    def show_countdown(self, expires_at: datetime, now: datetime) -> None:
        left = int((expires_at - now).total_seconds())
        self.countdown.setText(arg(self.tr("Expires in %1"), countdown_text(left)))
        self.countdown.setAccessibleName(self.countdown.text())

    def show_status(self, glyph: str, text: str, hint: str, serial: str | None = None) -> None:
        self.status_icon.setPixmap(status_icon(glyph).pixmap(36, 36))
        self.status_label.setText(text)
        self.status_label.setAccessibleName(text)
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)
        if serial:
            self.serial_label.setText(arg(self.tr("Serial %1"), grouped(serial)))
            self.serial_label.setAccessibleName(arg(self.tr("Serial %1"), serial))
        self.serial_label.setVisible(bool(serial))

    def forget_secrets(self, why: str) -> None:
        """Take the QR code and the pairing code off the screen; the QR area says ``why`` instead."""
        self.qr.clear()
        self.qr.set_placeholder(why)
        self.code_label.setText("")
        self.code_label.setAccessibleName(self.tr("No pairing code"))
        self.countdown.setText("")
        for label in (self.code_caption, self.code_label, self.countdown):
            label.hide()
        for widget in (self.cancel_button, self.save_qr_button, self.print_button, self.print_code):
            widget.setEnabled(False)  # nothing left to cancel, save or print
            widget.setVisible(False)

    def set_pending(self, pending: bool, *, can_renew: bool) -> None:
        """Only the buttons that can act now are shown, so the column keeps its room for what to read."""
        for widget in (self.cancel_button, self.save_qr_button, self.print_button, self.print_code):
            widget.setEnabled(pending)
            widget.setVisible(pending)
        self.done_button.setEnabled(not pending)
        self.done_button.setVisible(not pending)
        self.new_code_button.setEnabled(can_renew)
        self.new_code_button.setVisible(pending or can_renew)  # paired: nothing to renew

    def saved(self, template: str, path: str) -> None:
        self.message.show_message(Kind.OK, arg(template, breakable(path)))
