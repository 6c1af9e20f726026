"""Render the main screens of the ``--demo`` console to PNG files (for the README and reviews).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs offscreen (no display needed). The demo store is filled by ``zmconsole.core.demo`` at a fixed moment and
the console's clock is pinned to it, so the figures are the same on every run (serial numbers and fingerprints
are random). A second pass, in its own process, renders two screens with a dark palette: icons take their
colour from the palette when first used.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QEventLoop, QItemSelectionModel, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from zmconsole.core import audit, demo, operators, paths
from zmconsole.core.ca import UnlockedCa
from zmconsole.core.pairing import protocol
from zmconsole.core.pairing.answers import PairingRequest, enroll
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.dialogs.wizard import FirstRunWizard
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState
from zmconsole.gui.views.pairing.page import PairingPage

MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIZE = (1280, 800)
ROOT = Path(__file__).resolve().parents[1]


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {QPalette.ColorRole.Window: "#2b2d30", QPalette.ColorRole.WindowText: "#e6e6e6",
              QPalette.ColorRole.Base: "#1e1f22", QPalette.ColorRole.AlternateBase: "#26282b",
              QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#3c3f41",
              QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
              QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#3c3f41",
              QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#9a9a9a"}
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def settle(app: QApplication, session: Session, rounds: int = 3) -> None:
    """Let the workers finish and the widgets repaint."""
    for _ in range(rounds):
        loop = QEventLoop()
        QTimer.singleShot(60, loop.quit)
        loop.exec()
        while session.tasks.busy:
            app.processEvents()


def start_pairing(app: QApplication, session: Session, page: PairingPage, device_id: str) -> None:
    """Prepare a pairing of ``device_id`` (ward ICU) on the Pair page, as the person at the cart does."""
    page.form.device_id.setText(device_id)
    page.form.ward.setText("ICU")
    page.form.check_now()
    settle(app, session, 2)
    page.form.pair_button.click()
    while page.ticket is None:
        app.processEvents()
    settle(app, session, 2)


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def device_answers(ticket_qr: str, code: str) -> PairingRequest:
    """What a monitor sends after scanning the QR code and having the code typed: its CSR, with the proof."""
    payload = protocol.decode_payload(ticket_qr)
    keys = protocol.derive_code_keys(payload.token, payload.device_id, code)
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, payload.device_id)]))
           .sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER))
    proof = protocol.make_code_proof(keys.auth_key, purpose=protocol.ProofPurpose.ENROLL, token=payload.token,
                                     device_id=payload.device_id, body=csr)
    return PairingRequest(payload.device_id, payload.token.hex(), proof.hex(), base64.b64encode(csr), "192.0.2.7")


def pair_screens(app: QApplication, session: Session, window: MainWindow, unlocked: UnlockedCa, out: Path) -> None:
    """The Pair page waiting for the monitor and once paired, at the window size and at two screen sizes."""
    page = window.pairing
    window.show_page("pairing")
    for size, suffix in ((SIZE, ""), ((1024, 700), "-1024x700"), ((1920, 1080), "-1920x1080")):
        window.resize(*size)
        start_pairing(app, session, page, f"ZM-47{len(suffix):02d}")
        save(window, out, f"pairing{suffix}")
        ticket = page.ticket
        enroll(session.store, unlocked, device_answers(ticket.qr_text, ticket.pairing_code), now=MOMENT)
        while page.pending:
            app.processEvents()
        settle(app, session, 2)
        save(window, out, f"pairing-paired{suffix}")
        page.done()
        settle(app, session, 2)
    window.resize(*SIZE)


def operator_screens(app: QApplication, work: Path, out: Path) -> None:
    """A store with operators: the sign-in screen (empty, and after a wrong password) and a signed-in pairing
    operator's window (the Pair page with a QR code their own signer made, and the Devices page with what the
    role may not do disabled), at the cart's small screen and a desk's large one."""
    home = work / "staffed"
    store = Store.open(paths.ensure_home(home))
    unlocked = demo.fill(store, devices=120, now=MOMENT)
    assert unlocked is not None
    operators.create_first_admin(store, unlocked, "admin", "the admin's long password", now=MOMENT)
    operators.add(store, unlocked, "n.jones", "pairing", "nurse jones's long password", now=MOMENT)
    operators.sign_out(store)
    session = Session(store, home=home, clock=lambda: MOMENT)
    window = MainWindow(session, ViewState(QSettings(str(work / "staffed.ini"), QSettings.Format.IniFormat)))
    window.show()
    window.start()
    view = window.gate.sign_in
    for size in ((1024, 700), (1920, 1080)):
        window.resize(*size)
        settle(app, session, 2)
        save(window, out, f"sign-in-{size[0]}x{size[1]}")
    window.resize(1024, 700)
    view.name.setText("n.jones")
    view.password.setText("not the password")
    view.sign_in_button.click()
    while not view.message.text:
        app.processEvents()
    settle(app, session, 2)
    save(window, out, "sign-in-wrong-password-1024x700")
    operators.sign_in(store, "n.jones", "nurse jones's long password", now=MOMENT, sleep=lambda _s: None)
    assert store.operator is not None
    session.signed_in(store.operator)
    settle(app, session, 3)
    page = window.pairing
    for size in ((1024, 700), (1920, 1080)):
        window.resize(*size)
        window.show_page("devices")
        settle(app, session, 2)
        save(window, out, f"pairing-operator-devices-{size[0]}x{size[1]}")
        window.show_page("pairing")
        start_pairing(app, session, page, f"ZM-48{size[0] // 1000}")
        save(window, out, f"pairing-operator-{size[0]}x{size[1]}")
        page.cancel()
        settle(app, session, 2)
        page.done()
    window.close()
    session.close()


def render(out: Path, *, dark: bool) -> None:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if dark:
        app.setPalette(dark_palette())
    work = Path(tempfile.mkdtemp(prefix="zmconsole-shots-"))
    store = Store.open(paths.ensure_home(work / "home"))
    unlocked = demo.fill(store, now=MOMENT)
    assert unlocked is not None
    session = Session(store, home=work / "home", demo=True, clock=lambda: MOMENT)
    session.set_unlocked(unlocked)
    window = MainWindow(session, ViewState(QSettings(str(work / "view.ini"), QSettings.Format.IniFormat)))
    window.resize(*SIZE)
    window.show()
    window.start()
    settle(app, session)
    suffix = "-dark" if dark else ""
    pages = ("dashboard", "devices") if dark else ("dashboard", "devices", "revocation", "audit", "settings")
    for page in pages:
        window.show_page(page)
        settle(app, session, 2)
        save(window, out, f"{page}{suffix}")
    if dark:
        return
    for size in ((1024, 700), (1920, 1080)):  # the cart's small screen and a desk's large one
        window.resize(*size)
        for page in ("dashboard", "devices", "revocation", "settings"):
            window.show_page(page)
            settle(app, session, 2)
            save(window, out, f"{page}-{size[0]}x{size[1]}")
    window.resize(*SIZE)

    def dialog(name: str, opener: Callable[[], QWidget], prepare: Callable[[QWidget], None] | None = None) -> None:
        shown = opener()
        if prepare is not None:
            prepare(shown)
        settle(app, session, 2)
        save(shown, out, name)
        shown.close()

    pair_screens(app, session, window, unlocked, out)
    operator_screens(app, work, out)

    renewed = next(e.subject for e in audit.entries(store, action_prefix="cert.renewed"))  # it has a history
    dialog("device-details", lambda: window.show_details(renewed))

    def fill_issue(shown: QWidget) -> None:
        shown.device_id.setText("ZM-301")  # type: ignore[attr-defined]
        shown.ward.setText("ICU")  # type: ignore[attr-defined]
        shown.location.setText("Room 104, bed A")  # type: ignore[attr-defined]
        shown.mode_generate.setChecked(True)  # type: ignore[attr-defined]

    dialog("issue", window.issue, fill_issue)
    issue = window.issue()
    fill_issue(issue)
    issue.issue_button.click()
    while issue.record is None:
        app.processEvents()
    settle(app, session, 2)
    save(issue, out, "issue-result")
    issue.close()

    window.show_page("devices")
    selection = window.devices.table.selectionModel()
    for row in (3, 4):
        selection.select(window.devices.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    ids = window.devices.selected_device_ids() or []
    dialog("revoke", lambda: window.revoke_devices(ids),  # type: ignore[arg-type, return-value]
           lambda shown: shown.buttons_by_reason["lost"].click())  # type: ignore[attr-defined]

    empty = Store.open(paths.ensure_home(work / "empty"))
    first_run = Session(empty, home=work / "empty", clock=lambda: MOMENT)
    wizard = FirstRunWizard(first_run)
    wizard.resize(700, 560)
    wizard.show()
    wizard.next()
    settle(app, first_run, 2)
    save(wizard, out, "first-run-wizard")
    wizard.close()
    session.lock()
    unlock = UnlockDialog(session, window)
    unlock.passphrase.setText("wrong passphrase")
    unlock.open()
    unlock.unlock_button.click()
    while not unlock.message.text:
        app.processEvents()
    settle(app, session, 2)
    save(unlock, out, "unlock-wrong-passphrase")
    window.close()
    first_run.close()
    session.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder for the PNG files")
    parser.add_argument("--dark", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    render(out, dark=args.dark)
    if not args.dark:
        subprocess.run([sys.executable, __file__, "--out", str(out), "--dark"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
