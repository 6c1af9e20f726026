"""Issuing from the dialog: the device ID checked as it is typed, a CSR pasted or loaded, a key generated
here, and the result page's exports (checked with the openssl command line)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import build_csr
from tests.gui.conftest import FakeFiles, find_window, press, settle
from zmconsole.core import audit, ca, exports, inventory
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.issue import IssueDialog
from zmconsole.gui.main_window import MainWindow
from zmconsole.gui.session import Session

OPENSSL = "/usr/bin/openssl"


@pytest.fixture
def open_ca(session: Session, unlocked: ca.UnlockedCa) -> ca.UnlockedCa:
    session.set_unlocked(unlocked)  # these tests are about issuing, not unlocking
    return unlocked


def issue(qtbot: QtBot, dialog: IssueDialog) -> inventory.CertificateRecord:
    dialog.issue_button.click()
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=20_000)
    assert dialog.record is not None
    return dialog.record


def test_device_id_is_checked_as_it_is_typed(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa,
                                             devices: list[str]) -> None:
    dialog = window.issue()
    dialog.device_id.setText("bed 7")
    assert dialog.id_check.text().startswith("✗") and "ZM-[0-9]+" in dialog.id_check.text()
    dialog.device_id.setText("ZM-7")
    assert dialog.id_check.text().startswith("✓")
    dialog.device_id.setText("ZM-001")
    assert "already has a valid certificate" in dialog.id_check.text()
    dialog.device_id.setText("bed 7")
    dialog.mode_generate.setChecked(True)
    dialog.issue_button.click()
    assert dialog.record is None and dialog.pages.currentIndex() == 0  # refused before signing anything


def test_issue_from_a_pasted_csr(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa, session: Session,
                                 store: Store) -> None:
    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Issue certificate…
    dialog = find_window(qtbot, IssueDialog)
    dialog.device_id.setText("ZM-101")
    dialog.ward.setText("ICU")
    dialog.location.setText("Room 4, bed B")
    dialog.csr_text.setPlainText(build_csr("ZM-101", ou="ICU").decode())
    record = issue(qtbot, dialog)
    assert dialog.pages.currentWidget() is dialog.result_page
    assert "ZM-101" in dialog.findChild(type(dialog.id_check), "issuedHeadline").text()
    assert record.key_source == "csr" and record.common_name == "ZM-101"
    assert not dialog.export.p12.isEnabled()  # the device keeps its key: nothing to deliver
    summary, _ = inventory.device(store, session.settings, "ZM-101")
    assert (summary.ward, summary.location, summary.status) == ("ICU", "Room 4, bed B", "active")
    settle(qtbot, session)
    assert window.devices.model.total == 1  # the table refreshed at once


def test_a_refused_csr_names_every_problem(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa) -> None:
    dialog = window.issue()
    dialog.device_id.setText("ZM-102")
    dialog.csr_text.setPlainText(build_csr("ZM-999", org="Other Hospital").decode())
    dialog.issue_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10_000)
    text = dialog.message.text
    assert "CN is 'ZM-999' but must be 'ZM-102'" in text and "O is 'Other Hospital'" in text
    assert dialog.record is None and dialog.issue_button.isEnabled()


def test_issue_from_a_der_csr_file(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa, files: FakeFiles,
                                   tmp_path: Path) -> None:
    csr_file = tmp_path / "zm-103.csr"
    csr_file.write_bytes(build_csr("ZM-103", der=True))
    files.open_paths = [csr_file]
    dialog = window.issue()
    dialog.device_id.setText("ZM-103")
    dialog.load_csr.click()
    assert "binary DER request" in dialog.csr_text.toPlainText()
    assert issue(qtbot, dialog).key_source == "csr"


def test_generated_key_and_exports(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa, session: Session,
                                   store: Store, files: FakeFiles, tmp_path: Path) -> None:
    dialog = window.issue()
    dialog.device_id.setText("ZM-104")
    dialog.mode_generate.setChecked(True)
    dialog.key_type.setCurrentIndex(dialog.key_type.findData("ec-p256"))
    record = issue(qtbot, dialog)
    assert record.key_source == "generated" and record.key_type == "ec-p256"
    panel = dialog.export
    assert panel.p12.isEnabled()

    pem, der, ca_pem, p12 = (tmp_path / n for n in ("zm.crt.pem", "zm.crt.der", "ca.pem", "zm.p12"))
    files.save_paths = [pem, der, ca_pem, p12]
    for button in (panel.pem, panel.der, panel.ca):
        button.click()
        settle(qtbot, session)
    assert x509.load_pem_x509_certificate(pem.read_bytes()).public_bytes(Encoding.DER) == der.read_bytes()
    verify = subprocess.run([OPENSSL, "verify", "-CAfile", str(ca_pem), str(pem)], capture_output=True, text=True,
                            check=False)
    assert verify.returncode == 0 and ": OK" in verify.stdout

    password = panel.password.text()
    assert len(password) >= exports.MIN_KEY_PASSWORD
    panel.p12.click()
    qtbot.waitUntil(lambda: p12.exists() and not panel.p12.isEnabled(), timeout=20_000)
    assert p12.stat().st_mode & 0o777 == 0o600
    info = subprocess.run([OPENSSL, "pkcs12", "-in", str(p12), "-passin", f"pass:{password}", "-nokeys"],
                          capture_output=True, text=True, check=False)
    assert info.returncode == 0 and "subject=C = US, O = Hospital, CN = ZM-104" in info.stdout
    assert not exports.has_held_key(store, record.id)  # delivered, so no longer held
    assert [e.details.get("format") for e in audit.entries(store, subject="ZM-104", action_prefix="key.")] == ["p12"]


def test_renew_from_the_details(qtbot: QtBot, window: MainWindow, open_ca: ca.UnlockedCa, devices: list[str],
                                session: Session, store: Store) -> None:
    details = window.show_details("ZM-002")
    details.renew.click()
    dialog = find_window(qtbot, IssueDialog)
    assert dialog.renew and dialog.device_id.text() == "ZM-002" and dialog.device_id.isReadOnly()
    assert dialog.ward.text() == "Cardiology"
    dialog.mode_generate.setChecked(True)
    issue(qtbot, dialog)
    _, history = inventory.device(store, session.settings, "ZM-002")
    assert [r.status for r in history] == ["active", "superseded"]
    settle(qtbot, session)


def test_a_requested_san_is_ignored_and_the_result_says_so(qtbot: QtBot, window: MainWindow,
                                                           open_ca: ca.UnlockedCa) -> None:
    dialog = window.issue()
    dialog.device_id.setText("ZM-103")
    san = x509.SubjectAlternativeName([x509.DNSName("monitor.local")])
    dialog.csr_text.setPlainText(build_csr("ZM-103", extensions=[(san, False)]).decode())
    record = issue(qtbot, dialog)
    names = record.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == ["zm-103.devices.hospital.example"]
    warning = dialog.findChild(type(dialog.id_check), "ignoredNames")
    assert warning is not None and "DNS:monitor.local" in warning.text() and "ignored" in warning.text()
