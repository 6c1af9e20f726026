"""First run: with no CA the console opens the wizard, which creates one (or imports one) off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.conftest import PASSPHRASE
from tests.gui.conftest import FakeFiles, find_window, make_window
from zmconsole.core import audit, ca, keyfiles, paths, settings
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.wizard import IMPORT, SUBJECT, WORK, FirstRunWizard
from zmconsole.gui.dialogs.wizard import PASSPHRASE as PASSPHRASE_PAGE
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState


def test_create_the_ca(qtbot: QtBot, empty_session: Session, view_state: ViewState, store: Store) -> None:
    window = make_window(qtbot, empty_session, view_state)
    wizard = find_window(qtbot, FirstRunWizard)
    assert not window.issue_action.isEnabled()  # nothing to sign with yet
    wizard.next()
    assert wizard.currentId() == SUBJECT
    page = wizard.subject_page
    # Examples as placeholders, never as values: a value would bind every device CSR (C and O must match).
    assert {k: e.text() for k, e in page.fields.items()} == {k: "" for k in page.fields}
    assert all(e.placeholderText().startswith("e.g. ") for e in page.fields.values())
    assert page.key_type.currentData() == "rsa4096" and page.days.value() == 3650
    page.key_type.setCurrentIndex(page.key_type.findData("ec-p384"))  # fast, for the test
    for key, value in (("state", "State"), ("org", "Hospital"), ("ou", "IT"), ("cn", "Z-Monitor-CA")):
        page.fields[key].setText(value)
    page.fields["country"].setText("US")
    wizard.next()
    assert wizard.currentId() == SUBJECT and "device DNS domain" in page.message.text  # asked, not assumed
    page.dns_domain.setText("devices.stmarys.example")
    page.fields["country"].setText("USA")
    wizard.next()
    assert wizard.currentId() == SUBJECT and "two-letter" in page.message.text  # the core's check, inline
    page.fields["country"].setText("US")
    wizard.next()
    assert wizard.currentId() == PASSPHRASE_PAGE
    words = wizard.passphrase_page
    words.first.setText("short")
    assert words.hint.text().startswith("Too short: use at least 8 characters") and not words.isComplete()
    words.first.setText("password1")
    assert words.hint.text().startswith("Weak")  # a common password, not "Fair"
    words.first.setText(PASSPHRASE)
    words.second.setText(PASSPHRASE + "x")
    assert "differ" in words.match.text() and not words.isComplete()
    words.second.setText(PASSPHRASE)
    assert words.isComplete() and words.meter.value() >= 3
    wizard.next()
    assert wizard.currentId() == WORK
    qtbot.waitUntil(lambda: wizard.work_page.isComplete(), timeout=20_000)
    assert "ready" in wizard.work_page.status.text() and wizard.work_page.title() == "The CA is ready"
    buttons = (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
               QWizard.WizardButton.FinishButton)
    visible = {b for b in buttons if wizard.button(b).isVisible()}
    assert visible == {QWizard.WizardButton.FinishButton}  # no Back or Cancel once the CA exists
    wizard.button(QWizard.WizardButton.FinishButton).click()

    info = ca.current(store)
    assert info is not None and info.key_type == "ec-p384"
    assert info.subject == "CN=Z-Monitor-CA,OU=IT,O=Hospital,ST=State,C=US"
    assert empty_session.unlocked is not None  # creating it unlocks it for this session
    assert settings.load(store).device_dns_domain == "devices.stmarys.example"
    assert window.issue_action.isEnabled() and not window.setup_action.isEnabled()
    assert audit.entries(store, action_prefix="ca.")[0].action == "ca.created"


def test_import_an_existing_ca(qtbot: QtBot, empty_session: Session, view_state: ViewState, store: Store,
                               files: FakeFiles, tmp_path: Path, ca_subject: x509.Name) -> None:
    elsewhere = Store.open(paths.ensure_home(tmp_path / "elsewhere"))
    original = ca.create(elsewhere, subject=ca_subject, passphrase=PASSPHRASE, key_type="ec-p384")
    elsewhere.dispose()
    cert_file, key_file = tmp_path / "ca.crt", tmp_path / "ca.key"
    cert_file.write_bytes(original.info.pem)
    key_file.write_bytes(keyfiles.encrypt_pkcs8(original.key, "the old passphrase", iterations=1000))

    make_window(qtbot, empty_session, view_state)
    wizard = find_window(qtbot, FirstRunWizard)
    wizard.choice.import_choice.setChecked(True)
    wizard.next()
    assert wizard.currentId() == IMPORT
    page = wizard.import_page
    assert not page.isComplete()
    files.open_paths = [cert_file, key_file]
    for button in page.findChildren(type(wizard.button(QWizard.WizardButton.NextButton))):
        if button.text() == "Browse…":
            button.click()
    assert page.cert.text() == str(cert_file) and page.key.text() == str(key_file)
    page.secret.setText("a wrong passphrase")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.work_page.message.isVisible(), timeout=10_000)
    assert "passphrase does not open" in wizard.work_page.message.text  # and nothing was stored
    assert ca.current(store) is None
    wizard.back()
    page.secret.setText("the old passphrase")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.work_page.isComplete(), timeout=10_000)
    info = ca.current(store)
    assert info is not None and info.fingerprint == original.info.fingerprint
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert [e.action for e in audit.entries(store, action_prefix="ca.")] == ["ca.imported", "ca.passphrase_wrong"]
