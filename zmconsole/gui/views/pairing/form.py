"""The request form of the Pair page: device ID, who makes the key, ward, and the Pair button.

A barcode scanner types the ID and presses Enter, which pairs. Whether the ID can be paired is one core answer
(:mod:`.eligibility`), asked in the worker pool after a pause in typing, never on the GUI thread; an Enter that
comes before the answer pairs as soon as the answer is yes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from zmconsole.core.pairing.tickets import Refusal
from zmconsole.gui.i18n import arg
from zmconsole.gui.session import Clock, Session
from zmconsole.gui.views.pairing import eligibility
from zmconsole.gui.views.pairing.common import TARGET_HEIGHT, PairingRequest, large_button, scaled_font
from zmconsole.gui.views.pairing.eligibility import Answer
from zmconsole.gui.widgets import Banner, accessible

CHECK_DELAY_MS = 150  # one store question per pause in typing, not per key


class PairingForm(QWidget):
    """Emits ``submitted`` with a :class:`PairingRequest` once the ID is known to be pairable."""

    submitted = Signal(object)  # PairingRequest
    checked = Signal(object)  # Answer: the last answer, for tests and the screen reader

    def __init__(self, session: Session, clock: Callable[[], Clock], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._clock = clock  # the page's clock, read at each question (tests pin it)
        self.answer: Answer | None = None  # for the text now in the field, once known
        self._asked: str | None = None  # the text whose answer is awaited
        self._submit_when_known = False
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.device_id.textChanged.connect(self._typed)
        self.device_id.returnPressed.connect(self.submit)
        self.ward.returnPressed.connect(self.submit)
        self.pair_button.clicked.connect(self.submit)
        session.settings_changed.connect(self.check_now)
        self._say(Answer("", None))

    def _build(self) -> None:
        heading = QLabel(self.tr("Pair a device"), self)
        heading.setFont(scaled_font(heading, 1.8, bold=True))
        heading.setWordWrap(True)
        intro = QLabel(self.tr("Scan the barcode on the monitor, or type its device ID, then press Enter. The "
                               "console shows a QR code and a pairing code for the monitor."), self)
        intro.setWordWrap(True)
        self.device_id = QLineEdit(self)
        self.device_id.setObjectName("pairDeviceId")
        self.device_id.setPlaceholderText(self.tr("Device ID, e.g. ZM-001"))
        self.device_id.setFont(scaled_font(self.device_id, 1.6))
        self.device_id.setMinimumHeight(TARGET_HEIGHT + 4)
        self.device_id.setClearButtonEnabled(True)
        accessible(self.device_id, self.tr("Device ID to pair"),
                   self.tr("Scan the monitor's barcode or type its ID; Enter starts the pairing"))
        self.id_check = QLabel(self)
        self.id_check.setObjectName("pairIdCheck")
        self.id_check.setWordWrap(True)

        self.ward = QLineEdit(self)
        self.ward.setObjectName("pairWard")
        self.ward.setPlaceholderText(self.tr("optional"))
        self.ward.setMinimumHeight(36)
        accessible(self.ward, self.tr("Ward (optional)"))

        keys = QGroupBox(self.tr("Who makes the device's private key"), self)
        self.device_key = QRadioButton(self.tr("The &monitor makes its own key (recommended)"), keys)
        self.console_key = QRadioButton(self.tr("The &console makes the key and sends it encrypted"), keys)
        self.device_key.setToolTip(self.tr("The key never leaves the device."))
        self.console_key.setToolTip(self.tr("For monitors that cannot make keys."))
        self.device_key.setChecked(True)
        for button in (self.device_key, self.console_key):
            button.setMinimumHeight(36)
        self._key_group = QButtonGroup(self)
        self._key_group.addButton(self.device_key)
        self._key_group.addButton(self.console_key)
        box = QVBoxLayout(keys)
        box.addWidget(self.device_key)
        box.addWidget(self.console_key)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Device ID:"), self.device_id)
        form.addRow("", self.id_check)
        form.addRow(self.tr("&Ward:"), self.ward)

        self.pair_button = large_button(self.tr("&Pair"), "pair", "pairButton", self)
        self.pair_button.setFont(scaled_font(self.pair_button, 1.4, bold=True))
        self.pair_button.setMinimumHeight(60)
        self.message = Banner(self)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(form)
        column.addWidget(keys)
        column.addWidget(self.pair_button)
        column.addWidget(self.message)
        column.addStretch(1)
        holder = QWidget(self)
        holder.setMaximumWidth(760)
        holder.setLayout(column)
        outer = QHBoxLayout(self)
        outer.addWidget(holder, 1)
        outer.addStretch(0)
        # Tab follows the eye: ID, ward, who makes the key, Pair.
        order = [self.device_id, self.ward, self.device_key, self.console_key, self.pair_button]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)

    # --- the answer to "can this device be paired" ------------------------------------------------------------

    def _typed(self) -> None:
        self.answer = None
        self._submit_when_known = False
        self._timer.start()

    def check_now(self) -> None:
        """Ask the core about the text now in the field (in the worker pool)."""
        self._timer.stop()
        typed = self.device_id.text()
        self._asked = typed
        store, settings, now = self.session.store, self.session.settings, self._clock()()
        self.session.tasks.start(lambda _job: eligibility.ask(store, settings, typed, now), done=self._answered,
                                 owner=self)

    def _answered(self, answer: Answer) -> None:
        if answer.typed != self.device_id.text():
            return  # the operator typed on; the newer question is on its way
        self.answer = answer
        self._say(answer)
        self.checked.emit(answer)
        if self._submit_when_known:
            self._submit_when_known = False
            self.submit()

    def _say(self, answer: Answer) -> None:
        text = self._words(answer)
        self.id_check.setText(text)
        self.id_check.setAccessibleName(text)

    def _words(self, answer: Answer) -> str:
        found = answer.eligibility
        if answer.error is not None:
            return "✗ " + self.session.errors.message(answer.error)
        if found is None:
            return self.tr("Scan or type the device ID.")
        if found.refusal is Refusal.BAD_DEVICE_ID:
            return arg(self.tr("✗ “%1” is not a device ID this site uses. Scan the barcode on the monitor, or type "
                               "the ID printed on it (for example ZM-001). The accepted form is set in Settings "
                               "(Device ID pattern)."), answer.typed.strip())
        if found.refusal is Refusal.ACTIVE_CERTIFICATE:
            return arg(self.tr("✗ %1 already has a valid certificate (serial %2): revoke it before pairing the "
                               "device again."), found.device_id, found.serial)
        if found.refusal is not None and found.error is not None:  # a refusal this form has no words of its own for
            return "✗ " + self.session.errors.message(found.error)
        if found.pending is not None:
            return arg(self.tr("✓ Ready to pair %1. A pairing is already waiting for this device (until %2 UTC); "
                               "pairing again replaces it."), found.device_id, f"{found.pending.expires_at:%H:%M}")
        return arg(self.tr("✓ Ready to pair %1: press Enter or Pair."), found.device_id)

    # --- the request ------------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Enter or Pair: pair the ID in the field if the core says it can be, else say why (in the form)."""
        answer = self.answer
        if answer is None or answer.typed != self.device_id.text():
            self._submit_when_known = True
            if self._asked != self.device_id.text() or self._timer.isActive():
                self.check_now()
            return
        if not answer.ready:
            self.device_id.setFocus()
            self.device_id.selectAll()
            return
        self.submitted.emit(PairingRequest(answer.device_id, self.console_key.isChecked(), self.ward.text().strip()))

    def focus_entry(self) -> None:
        self.device_id.setFocus()
        self.device_id.selectAll()

    def reset(self, device_id: str = "") -> None:
        """Empty, for the next device (or holding the first characters of the next scan)."""
        self.ward.clear()
        self.device_key.setChecked(True)
        self.device_id.setText(device_id)
        self.message.clear()
        self.device_id.setFocus()
        self.device_id.end(False)
