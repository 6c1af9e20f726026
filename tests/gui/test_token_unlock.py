"""The console's unlock for a CA whose key is in a PKCS#11 token (SoftHSM2): it asks for the PIN, a wrong PIN
is refused and audited, the right one opens the CA and the console signs in the token; a token pulled out
while the console runs is an error that locks the console."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.conftest import FakeFiles, find_window, make_window
from tests.support.softhsm import LABEL, PIN, SoftHsm
from zmconsole.core import audit, ca, issuance, token_keys
from zmconsole.core.errors import TokenError
from zmconsole.core.store import Store
from zmconsole.gui.dialogs.unlock import UnlockDialog
from zmconsole.gui.session import Session
from zmconsole.gui.view_state import ViewState


@pytest.fixture
def token_session(qapp: QApplication, store: Store, home: Path, files: FakeFiles, softhsm: SoftHsm,
                  ca_subject: x509.Name) -> Iterator[Session]:
    made = ca.create(store, subject=ca_subject, key_type="ec-p384",
                     token=token_keys.TokenSpec(softhsm.module, LABEL, PIN))
    del made  # the console starts locked
    opened = Session(store, home=home, files=files)  # type: ignore[arg-type]
    yield opened
    opened.close()


def test_unlock_asks_for_the_tokens_pin(qtbot: QtBot, token_session: Session, store: Store, make_csr,
                                        view_state: ViewState, softhsm: SoftHsm) -> None:
    window = make_window(qtbot, token_session, view_state)
    window.unlock()
    dialog = find_window(qtbot, UnlockDialog)
    assert any(f"PKCS#11 token “{LABEL}”" in label.text() for label in dialog.findChildren(type(dialog.reason)))
    assert dialog.passphrase.accessibleName() == "Token PIN"
    dialog.passphrase.setText("000000")
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible() and "PIN is wrong" in dialog.message.text, timeout=10_000)
    assert token_session.locked and len(audit.entries(store, action_prefix="ca.pin_wrong")) == 1
    dialog.passphrase.setText(PIN)
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: not token_session.locked, timeout=10_000)
    unlocked = token_session.unlocked
    assert unlocked is not None and isinstance(unlocked.key, token_keys.TokenEcKey)
    issued = issuance.issue_device(store, unlocked, "ZM-001", csr=make_csr("ZM-001"))
    issued.certificate.verify_directly_issued_by(unlocked.certificate)

    softhsm.remove_tokens()  # pulled out while the console runs: the error says so, and the console locks
    with pytest.raises(TokenError) as gone:
        issuance.issue_device(store, unlocked, "ZM-002", csr=make_csr("ZM-002"))
    token_session.errors.show(window, gone.value)
    assert token_session.locked and token_session.errors.last is not None
    assert "stopped answering" in token_session.errors.last[1]
    window.close()
