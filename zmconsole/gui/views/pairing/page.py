"""The Pair page: the request form, the pairing on screen, and the provisioning service strip below them.

Press Pair (or Enter after a scan) and the console prepares the pairing (:func:`zmconsole.core.tickets.prepare`,
in a worker: signed by the signed-in operator's own pairing signer, with no CA passphrase, or on a store without
operators with the CA unlocked), shows it (:class:`.TicketView`) and follows it (:class:`.PairingFollower`).
A scan typed while a finished pairing is on screen starts the next one; while one is pending, the page says
why it cannot.

The QR text and the code exist only in the :class:`~zmconsole.core.tickets.Ticket` this page holds while the
pairing is pending; they leave the screen and memory when it ends (paired, failed, cancelled, expired, or the
console locking itself: a code must not stay on an unattended screen). Nothing here logs them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from zmconsole.core import exports, qrcodes
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.errors import ZmError
from zmconsole.core.pairing import tickets
from zmconsole.core.pairing.state import PairingState
from zmconsole.core.roles import Operation
from zmconsole.gui.dialogs.unlock import request_ca
from zmconsole.gui.i18n import arg
from zmconsole.gui.pairing_words import describe
from zmconsole.gui.service_control import ServiceControl, ServicePanel
from zmconsole.gui.session import Clock, Session
from zmconsole.gui.views.pairing.common import PairingRequest
from zmconsole.gui.views.pairing.follower import PairingFollower
from zmconsole.gui.views.pairing.form import PairingForm
from zmconsole.gui.views.pairing.ticket_view import TicketView
from zmconsole.gui.widgets import Kind

_TYPING = Qt.KeyboardModifier.NoModifier | Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class PairingPage(QWidget):
    """Form (stack page 0) and the pairing on screen (page 1), with the service strip below."""

    def __init__(self, session: Session, service: ServiceControl, parent: QWidget | None = None, *,
                 clock: Clock | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pairingPage")
        self.session = session
        self.service = service
        self.clock: Clock = clock or session.now  # tests pin it to move the countdown
        self.ticket: tickets.Ticket | None = None  # the only holder of the QR text and the code
        self.request: PairingRequest | None = None
        self.status: tickets.PairingStatus | None = None
        self._expires_at: datetime | None = None
        self._locked_out = False  # the console locked itself while this pairing was pending
        self._cancelled_here = False  # the operator pressed Cancel
        self._busy = False

        self.form = PairingForm(session, lambda: self.clock, self)
        self.ticket_view = TicketView(self)
        self.follower = PairingFollower(session, lambda: self.clock, self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.form)
        self.pages.addWidget(self.ticket_view)
        self.service_panel = ServicePanel(service, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.service_panel)

        self.form.submitted.connect(self._prepare)
        view = self.ticket_view
        view.cancel_button.clicked.connect(self.cancel)
        view.new_code_button.clicked.connect(self.new_code)
        view.save_qr_button.clicked.connect(self.save_qr)
        view.print_button.clicked.connect(self.print_label)
        view.done_button.clicked.connect(self.done)
        view.installEventFilter(self)
        for child in view.findChildren(QWidget):
            child.installEventFilter(self)
        self.follower.ticked.connect(self._tick)
        self.follower.changed.connect(self._show_status)
        self.follower.trouble.connect(view.hint.setText)
        session.lock_changed.connect(self._lock_changed)
        session.signing_out.connect(self._signing_out)

    @property
    def pending(self) -> bool:
        """A pairing is on screen and has not ended."""
        return self.follower.following

    # --- the request ------------------------------------------------------------------------------------------

    def focus_entry(self) -> None:
        """Put the cursor where a barcode scanner types (when no pairing is on screen)."""
        if self.pages.currentWidget() is self.form:
            self.form.focus_entry()

    def open_for_next(self) -> None:
        """Ctrl+P or "Pair a device": the form, ready for a scan, unless a pairing is still pending (then say so)."""
        if self.pages.currentWidget() is self.ticket_view and not self.pending and not self._busy:
            self.done()
        elif self.pending:
            self._refuse_scan()
        self.focus_entry()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_entry()

    def _prepare(self, wanted: PairingRequest) -> None:
        if self._busy:
            return
        if self.session.ca_info is None:
            self.form.message.show_message(Kind.ERROR, self.tr("There is no platform CA yet: set one up first (CA "
                                                               "menu, Set up the CA…)."))
            return
        store = self.session.store
        # A signed-in operator signs the QR with their own pairing signer, so no CA passphrase is asked. A
        # console-made key is certified now by an operator who may issue (with the CA), else by the service when
        # the device pulls it.
        operator = self.session.operator
        deferred = operator is not None and (not wanted.console_key or not operator.may(Operation.DEVICE_ISSUE))
        signer = operator.signer if operator is not None and deferred else None

        def work(unlocked: UnlockedCa | None, now: datetime) -> tickets.Ticket:
            return tickets.prepare(store, unlocked, wanted.device_id, signer=signer, console_key=wanted.console_key,
                                   ward=wanted.ward or None, now=now)

        def failed(error: BaseException) -> None:
            self._working(False)
            self.session.errors.show(self, error)

        def start(unlocked: UnlockedCa | None) -> None:  # after the passphrase, which may take a while
            self._working(True)
            now = self.clock()
            self.session.tasks.start(lambda _job: work(unlocked, now), done=lambda t: self._show_ticket(wanted, t),
                                     failed=failed, owner=self)

        if deferred:  # the operator's signer (or, without one, the core's refusal)
            start(None if wanted.console_key else self.session.unlocked)
            return
        request_ca(self, self.session, start, reason=self.tr(
            "Pairing signs the QR code with a key the CA certifies, and may issue the certificate."))

    def new_code(self) -> None:
        """A fresh token and code for the same device (the earlier one, if still pending, ends)."""
        if self.request is not None and not self._busy:
            self._prepare(self.request)

    def _working(self, busy: bool) -> None:
        self._busy = busy
        self.form.pair_button.setEnabled(not busy)
        self.ticket_view.new_code_button.setEnabled(not busy and not self._paired)
        if busy:
            self.form.message.show_message(Kind.INFO, self.tr("Preparing the pairing…"))
        else:
            self.form.message.clear()

    @property
    def _paired(self) -> bool:
        return self.status is not None and self.status.outcome == "paired"

    # --- the pairing on screen ------------------------------------------------------------------------------

    def _show_ticket(self, wanted: PairingRequest, ticket: tickets.Ticket) -> None:
        self._working(False)
        self.request, self.ticket, self.status = wanted, ticket, None
        self._expires_at, self._locked_out, self._cancelled_here = ticket.expires_at, False, False
        view = self.ticket_view
        view.show_ticket(ticket)
        view.set_pending(True, can_renew=True)
        self.pages.setCurrentWidget(view)
        view.cancel_button.setFocus()
        if ticket.serial is not None:
            self.session.data_changed.emit()  # console key mode: the certificate exists already
        self._show_status(tickets.PairingStatus(ticket.pairing_id, ticket.device_id, ticket.key_mode,
                                                PairingState.ACTIVE, ticket.created_at, ticket.expires_at, None, 0,
                                                ticket.serial), following=True)
        self.follower.follow(ticket.pairing_id)
        if self.session.signed_out:  # the operator was signed out while the pairing was being prepared
            self._signing_out()
        elif self.session.locked and not self.session.has_operators:  # the console locked itself meanwhile
            self._lock_changed(True)

    def _tick(self) -> None:
        if self.ticket is not None and self._expires_at is not None:
            self.ticket_view.show_countdown(self._expires_at, self.clock())

    def _show_status(self, status: tickets.PairingStatus | None, *, following: bool = False) -> None:
        self.status = status
        if not following and (status is None or status.outcome != "pending"):
            self._finish()
        glyph, text, hint = describe(status, locked_out=self._locked_out, cancelled_here=self._cancelled_here)
        self.ticket_view.show_status(glyph, text, hint, status.serial if self._paired and status else None)

    def _finish(self) -> None:
        """The pairing ended: stop following it and forget the token and the code."""
        if not self.follower.following:
            return
        self.follower.stop()
        self._forget_secrets()
        self.ticket_view.set_pending(False, can_renew=not self._paired and not self._busy)
        self.ticket_view.done_button.setFocus()
        self.session.data_changed.emit()  # the device's row and the audit log changed

    def _forget_secrets(self) -> None:
        """Take the QR code and the pairing code off the screen and out of memory."""
        self.ticket = None
        if self._locked_out:
            why = self.tr("The console locked itself, so the code was taken off the screen.")
        elif self._paired:
            why = self.tr("Paired ✓ — this QR code has been used.")
        else:
            why = self.tr("This QR code no longer works.")
        self.ticket_view.forget_secrets(why)

    def cancel(self) -> None:
        """End the pending pairing now (the token dies; a console-made certificate is revoked)."""
        if self.request is None or self.ticket is None:
            return
        device_id, now, store = self.request.device_id, self.clock(), self.session.store
        self._cancelled_here = True
        self.ticket_view.cancel_button.setEnabled(False)
        self.session.tasks.start(lambda _job: tickets.cancel(store, device_id, now=now),
                                 done=lambda _ended: self.follower.poll(), owner=self)

    def done(self) -> None:
        """Back to the form for the next device."""
        self._finish()
        self.request = self.status = None
        self._expires_at = None
        self.form.reset()
        self.pages.setCurrentWidget(self.form)
        self.focus_entry()

    def _lock_changed(self, locked: bool) -> None:
        """The console locked itself: the code leaves the screen now, and the pending pairing is cancelled.

        If the device is being issued its certificate right now, the cancel is refused and the page keeps
        following the pairing, without the code on screen.
        """
        if not locked or self.ticket is None or self.request is None or self.session.has_operators:
            return  # with operators, the code leaves when the operator does (_signing_out), not with the CA
        self._locked_out = True
        self._forget_secrets()
        self.ticket_view.show_status("none", self.tr("Cancelling: the console locked itself…"), "")
        device_id, now, store = self.request.device_id, self.clock(), self.session.store
        self.session.tasks.start(lambda _job: tickets.cancel(store, device_id, now=now),
                                 done=lambda _ended: self.follower.poll(), owner=self)

    def _signing_out(self) -> None:
        """The operator is leaving: the code leaves the screen, and their pending pairing is cancelled now,
        while they are still signed in (the cancel is theirs, and a short write)."""
        if self.ticket is None or self.request is None or not self.follower.following:
            return
        self._locked_out = True
        self._forget_secrets()
        self.ticket_view.show_status("none", self.tr("Cancelled: the operator was signed out."), "")
        try:
            tickets.cancel(self.session.store, self.request.device_id, now=self.clock())
        except ZmError as error:  # the device is being issued its certificate right now: it keeps following
            self.ticket_view.hint.setText(self.session.errors.message(error))
        self.follower.poll()

    # --- a scan while a pairing is on screen --------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and self.pages.currentWidget() is self.ticket_view):
            text = event.text()
            if text and text.isprintable() and not text.isspace() and not (event.modifiers() & ~_TYPING):
                self._scanned(text)
                return True
        return False

    def _scanned(self, first: str) -> None:
        """The first character of a scan (or of typing) arrived while the pairing view is on screen."""
        if self.pending or self._busy:
            self._refuse_scan()
            return
        self.done()
        self.form.reset(first)  # the rest of the scan and its Enter go to the device ID field

    def _refuse_scan(self) -> None:
        device = self.request.device_id if self.request is not None else ""
        self.ticket_view.message.show_message(Kind.WARNING, arg(self.tr(
            "The pairing of %1 is still waiting for the monitor, so a scanned ID was not used. Finish that pairing "
            "or press Cancel pairing, then scan the next device."), device))

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
        with_code = self.ticket_view.print_code.isChecked()
        try:
            data = qrcodes.render_label_pdf(ticket.qr_text, device_id=ticket.device_id, ward=ticket.ward,
                                            expires_at=ticket.expires_at.astimezone(),
                                            pairing_code=ticket.pairing_code if with_code else None)
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
        self.ticket_view.saved(template, str(path))

    # --- closing --------------------------------------------------------------------------------------------

    def shut_down(self) -> None:
        """The window is closing: stop following, and forget any code on screen."""
        self.follower.stop()
        self.ticket = None
        self.ticket_view.forget_secrets("")
